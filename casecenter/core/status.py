"""The families of states, so that a state reads the same colour on every list and page.

A state belongs to one family: *waiting* (new, waiting for someone), *active* (in progress),
*done* (decided, finished in time), *refused* (refused, breached: needs attention) and *archived*
(closed, no longer acted on). Each app registers its choice sets here from ``AppConfig.ready``
(the app that owns a status knows what it means); the ``status_badge`` tag of ``core_display``
draws every badge from this one table, with an icon and the label, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("waiting", "active", "done", "refused", "archived")
#: The icon of each family (Bootstrap Icons): a second cue beside the colour.
ICONS = {"waiting": "bi-hourglass-split", "active": "bi-play-circle", "done": "bi-check-circle",
         "refused": "bi-exclamation-octagon", "archived": "bi-archive"}


@dataclass(frozen=True)
class StatusSet:
    """The states of one kind of thing: their labels (a ``TextChoices``) and their families."""

    choices: type
    families: dict[str, str]

    def label(self, value) -> str:
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)  # a state a later release removed reads as recorded

    def family(self, value) -> str:
        return self.families.get(str(value), "archived")


_SETS: dict[str, StatusSet] = {}


def register(kind: str, choices: type, families: dict[str, str]) -> None:
    """Say which family each state of ``choices`` belongs to (every state, each a known family)."""
    unknown = {family for family in families.values() if family not in FAMILIES}
    missing = set(choices.values) - set(families)
    if unknown or missing:
        raise ValueError(f"status set {kind}: unknown families {sorted(unknown)}, states without one {sorted(missing)}")
    _SETS[kind] = StatusSet(choices=choices, families=dict(families))


def status_set(kind: str) -> StatusSet:
    try:
        return _SETS[kind]
    except KeyError:
        raise LookupError(f"no status set {kind!r} is registered") from None
