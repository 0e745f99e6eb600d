"""A station that still owns open cases is not deactivated: the refusal counts them (the cases app
tells accounts what keeps a unit in use, accounts/holdings.py)."""

from __future__ import annotations

import pytest

from casecenter.accounts import services
from casecenter.accounts.holdings import unit_holdings
from casecenter.accounts.models import User
from casecenter.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_unit_with_an_open_case_cannot_be_deactivated_and_is_told_why(intake, station):
    intake()
    User.objects.filter(unit=station).update(is_active=False)          # its officers have left
    assert unit_holdings(station) == ["1 open case"]
    with pytest.raises(ValidationFailed, match="1 open case"):
        services.unit_deactivate(actor=None, unit=station)
