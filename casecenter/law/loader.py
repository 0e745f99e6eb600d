"""Loading statute texts from files: one file (``casecenter law load FILE``) or every shipped one.

The shipped texts live in ``data/statutes`` with ``catalog.json`` giving each file's code, names,
version and effective dates. Reading and parsing happen before the database is touched, and the
write is one service call in one transaction, so a malformed file leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed

from . import services
from .models import EffectiveDateBasis, LawVersion
from .parser import parse_statute

STATUTES_DIR = Path(__file__).resolve().parent / "data" / "statutes"
CATALOG = STATUTES_DIR / "catalog.json"
# 刑事诉讼法(2018-10-26).md, also with full-width parentheses as Chinese file names often have.
_DATED_NAME_RE = re.compile(r"[(（](\d{4}-\d{2}-\d{2})[)）]\.[A-Za-z]+$")


@dataclass(frozen=True)
class Entry:
    """What the loader needs to know about one file besides its text."""

    path: Path
    code: str
    full_name: str | None = None      # None: the text's '# …' title
    short_name: str = ""
    issuing_body: str = ""
    version_date: dt.date | None = None   # None: from the file name
    effective_date: dt.date | None = None  # None: the version date
    effective_date_basis: str | None = None


def version_date_from_name(name: str) -> dt.date | None:
    match = _DATED_NAME_RE.search(name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def catalog() -> list[Entry]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    return [Entry(path=STATUTES_DIR / s["file"], code=s["code"], full_name=s["full_name"],
                  short_name=s.get("short_name") or "", issuing_body=s.get("issuing_body") or "",
                  version_date=dt.date.fromisoformat(s["version_date"]),
                  effective_date=dt.date.fromisoformat(s["effective_date"]),
                  effective_date_basis=s["effective_date_basis"])
            for s in data["statutes"]]


def _read(entry: Entry) -> dict:
    """Read and parse one file into the service's arguments. Raises ParseError (naming the file and
    line) for a malformed text, ValidationFailed for an unreadable file or an unknown version date."""
    try:
        raw = entry.path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(_("Cannot read {file}: {reason}").format(
            file=entry.path, reason=exc.strerror or exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("{file} is not UTF-8 text (byte {offset}).").format(
            file=entry.path.name, offset=exc.start)) from None
    parsed = parse_statute(text, source=entry.path.name)
    version_date = entry.version_date or version_date_from_name(entry.path.name)
    if version_date is None:
        raise ValidationFailed(_("The version date of {file} is unknown: name the file like "
                                 "名称(2018-10-26).md or give --version-date.").format(file=entry.path.name),
                               field="version_date")
    if entry.effective_date_basis:
        basis = entry.effective_date_basis
    else:
        basis = EffectiveDateBasis.GIVEN if entry.effective_date else EffectiveDateBasis.VERSION_DATE
    return {"parsed": parsed, "code": entry.code, "full_name": entry.full_name or parsed.title,
            "short_name": entry.short_name, "issuing_body": entry.issuing_body, "version_date": version_date,
            "effective_date": entry.effective_date or version_date, "effective_date_basis": str(basis),
            "source_file": entry.path.name, "source_sha256": hashlib.sha256(raw).hexdigest()}


def load(entry: Entry, *, actor=None) -> LawVersion:
    """Read, parse and store one file, recorded in the ledger as loaded by ``actor`` (None: the system).
    Raises ParseError or ValidationFailed (see ``_read``), Conflict for a version already loaded."""
    return services.law_version_load(actor=actor, **_read(entry))


def missing_shipped() -> list[Entry]:
    """The catalogue's entries whose (law, version) is not in the database yet."""
    loaded = set(LawVersion.objects.values_list("law__code", "version_date"))
    return [entry for entry in catalog() if (entry.code, entry.version_date) not in loaded]


def load_shipped(*, actor=None) -> list[LawVersion]:
    """Load every shipped statute not loaded yet; loading twice loads nothing the second time."""
    return [load(entry, actor=actor) for entry in missing_shipped()]


def load_after_migrate(sender, *, plan=None, using: str = "default", verbosity: int = 1, stdout=None,
                       **kwargs) -> None:
    """post_migrate receiver: every freshly migrated database (the test database too) has the statutes.

    Only a real ``migrate`` has a ``plan``: ``flush`` sends post_migrate with ``plan=None`` and must
    leave the emptied tables empty. ``migrate law zero`` has a plan but no tables left to fill.
    """
    from django.db import connections

    if plan is None or using != "default" or not settings.CASECENTER.get("LOAD_STATUTES_ON_MIGRATE", True):
        return
    connection = connections[using]
    if LawVersion._meta.db_table not in connection.introspection.table_names():
        return
    from casecenter.ledger.sequencer import deferred

    with deferred():
        versions = load_shipped()
    if versions and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Loaded {len(versions)} shipped statute version(s) into the statute library.")
