"""Loads the shipped catalogue of case causes (``data/causes.toml``) after migrate, the way
``deadlines/loader.py`` loads the calendar. Rows an administrator added are never touched; a shipped
row is renamed if its name changed in the file, and never deleted (cases refer to it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

CAUSES_FILE = Path(__file__).resolve().parent / "data" / "causes.toml"


def shipped_causes(path: Path = CAUSES_FILE) -> list[dict]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    causes = data.get("cause", [])
    codes = [c["code"] for c in causes]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{path}: a cause code appears twice")
    return causes


@transaction.atomic
def load_shipped_causes(path: Path = CAUSES_FILE) -> int:
    """Insert or rename the shipped causes; returns how many rows were written. Reference data
    (a catalogue, not a case record): it has no ledger event, like the law library's load."""
    from .models import CaseCause

    existing = {c.code: c for c in CaseCause.objects.filter(shipped=True)}
    written = 0
    for raw in shipped_causes(path):
        cause = existing.get(raw["code"])
        if cause is None:
            CaseCause.objects.update_or_create(code=raw["code"], defaults={
                "name": raw["name"], "kind": raw["kind"], "shipped": True})
            written += 1
        elif (cause.name, cause.kind) != (raw["name"], raw["kind"]):
            cause.name, cause.kind = raw["name"], raw["kind"]
            cause.save(update_fields=["name", "kind"])
            written += 1
    return written


def load_causes_after_migrate(sender, *, plan=None, using: str = "default", verbosity: int = 1, stdout=None,
                              **kwargs) -> None:
    """post_migrate receiver: a migrated database has the shipped case causes."""
    from django.db import connections

    from .models import CaseCause

    if plan is None or using != "default" or not settings.CASECENTER.get("LOAD_CAUSES_ON_MIGRATE", True):
        return
    if CaseCause._meta.db_table not in connections[using].introspection.table_names():
        return
    written = load_shipped_causes()
    if written and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Loaded {written} case causes.")
