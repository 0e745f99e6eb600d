"""Ages and minors. The law counts age in whole years from the birthday (刑法 art. 17; 治安管理处罚法
art. 12): a person is 18 from the first moment of their 18th birthday, in the local calendar
(Asia/Shanghai), whatever the server's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
ADULT_AGE = 18


def local_date(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return at.astimezone(LOCAL).date()


def years_between(birth: dt.date, on: dt.date) -> int:
    """Whole years from ``birth`` to ``on``; someone born on 29 February turns a year older on 1 March
    in a common year."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
