"""Human-readable, translated descriptions of ledger events, for the audit browser and the timeline.

A description is a template over the event's facts plus ``actor`` (who, as they were then) and
``subject``. The ledger keeps dotted action names, which are stable and searchable; people read
sentences. Later apps add their own actions with :func:`register`. An action without a template
is shown by its dotted name, so an event is never hidden for lack of a sentence.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

DESCRIPTIONS: dict[str, str] = {
    "accounts.user.login": gettext_lazy("{actor} signed in"),
    "accounts.user.logout": gettext_lazy("{actor} signed out ({reason})"),
    "accounts.user.login_failed": gettext_lazy("Failed sign-in as {username} ({factor}: {reason})"),
    "accounts.user.locked": gettext_lazy("Account {subject} locked after {after_failures} failed sign-ins"),
    "accounts.totp.enrolled": gettext_lazy("{actor} enrolled an authenticator"),
    "accounts.totp.reset": gettext_lazy("{actor} reset the authenticator of {username}"),
    "accounts.token.created": gettext_lazy("{actor} created the API token “{name}”"),
    "accounts.token.revoked": gettext_lazy("{actor} revoked the API token “{name}” of {owner}"),
    "accounts.unit.created": gettext_lazy("{actor} created the unit {name} ({code})"),
    "accounts.unit.updated": gettext_lazy("{actor} changed the unit {subject}: {changed}"),
    "accounts.user.created": gettext_lazy("{actor} created the account {username} ({full_name})"),
    "accounts.user.updated": gettext_lazy("{actor} changed the account {subject}: {changed}"),
    "accounts.user.password_changed": gettext_lazy("{actor} changed the password of {username}"),
    "accounts.user.deactivated": gettext_lazy("{actor} deactivated the account {username}"),
    "accounts.user.reactivated": gettext_lazy("{actor} reactivated the account {username}"),
    "accounts.user.roles_changed": gettext_lazy("{actor} granted roles {granted} to {subject} and withdrew {revoked}"),
    "ledger.proof.exported": gettext_lazy("{actor} downloaded the inclusion proof of event {event}"),
}


#: fact name → function turning one recorded code into its translated label (e.g. role codes).
LABELS: dict[str, callable] = {}
#: action → the fact holding the time the thing happened (the measure's start, the decision's time),
#: which may be earlier than the time the event was recorded.
OCCURRED: dict[str, str] = {}


def register(descriptions: dict[str, str], labels: dict[str, callable] | None = None,
             occurred: dict[str, str] | None = None) -> None:
    """Add an app's templates, labels for the codes its facts hold, and for each action the fact
    that says when it happened (call from ``AppConfig.ready``).

    The ledger records stable codes (``case_officer``); the app that owns a code knows its label,
    so it lends the label here instead of the ledger importing it.
    """
    DESCRIPTIONS.update(descriptions)
    LABELS.update(labels or {})
    OCCURRED.update(occurred or {})


def occurred_at(event) -> datetime | None:
    """When the thing ``event`` records happened, from its facts; None when the action has no such
    fact (it happened when it was recorded) or an older event lacks it."""
    key = OCCURRED.get(event.action)
    value = event.facts.get(key) if key else None
    if not value:
        return None
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if at.tzinfo else None


def show_fact(key: str, value) -> str:
    """A recorded value as people read it, with the label its owning app lent for ``key``."""
    return _show(value, LABELS.get(key, str))


class _Facts(dict):
    """A missing fact reads as a dash rather than breaking the page of an older event."""

    def __missing__(self, key: str) -> str:
        return "—"


def actor_name(snapshot: dict) -> str:
    """The actor as recorded: their name then, or who acted when no account did."""
    kind = snapshot.get("kind")
    if kind == "user":
        return snapshot.get("name") or snapshot.get("username") or "?"
    if kind == "anonymous":
        return _("someone not signed in")
    return _("the system")


def _joiner() -> str:
    """Items of a list as the reader's language separates them: 甲、乙 / A, B."""
    return "、" if (get_language() or "").startswith("zh") else ", "


def _show(value, label=str) -> str:
    if isinstance(value, list | tuple):
        return _joiner().join(label(v) for v in value) or "—"
    if isinstance(value, dict):
        return _joiner().join(sorted(value)) or "—"
    if value is None or value == "":
        return "—"
    return label(value)


def subject_label(event) -> str:
    if not event.subject_id:
        return event.subject_type
    return f"{event.subject_type} #{event.subject_id}"


def describe(event) -> str:
    """One sentence saying what ``event`` records, in the active language."""
    template = DESCRIPTIONS.get(event.action)
    if template is None:
        return event.action
    facts = event.facts
    context = _Facts({key: _show(value, LABELS.get(key, str)) for key, value in facts.items()})
    context["actor"] = actor_name(event.actor)
    context["subject"] = facts.get("username") or subject_label(event)
    context["changed"] = _show(facts.get("after", {}))
    return str(template).format_map(context)
