"""What a clock is about, named and linked by the apps that own it (DESIGN.md §2).

``deadlines`` sits below ``cases`` and ``people``: a clock keeps only the ids of its case and
person, and its title as a code with parameters. The apps above register here, from their
``AppConfig.ready``, how to link those ids (:func:`register_links`) and how to say a code
(:func:`register_text`), so that this app never imports them.

Text the system writes (a clock's title "张三丰 刑事拘留", the reason a case decision ended a
clock) is stored as a :class:`Text` — a code and its parameters — and said in the reader's
language when it is shown. The plain ``label``/``end_note`` columns keep a copy in the
installation's language for the API, the admin and clocks recorded before codes existed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Text:
    """A sentence the system writes: ``code`` names who says it (registered), ``params`` its codes."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


_TEXTS: dict[str, Callable[[dict], str]] = {}
_LINKS: dict[str, Callable[[Collection[str]], dict[str, Link]]] = {}
LINK_KINDS = ("case", "person")


def register_text(code: str, render: Callable[[dict], str]) -> None:
    """``render(params)`` says the text ``code`` in the active language."""
    _TEXTS[code] = render


def register_links(kind: str, resolve: Callable[[Collection[str]], dict[str, Link]]) -> None:
    """``resolve(ids)`` → {id: Link} for the ``kind`` ("case", "person") of ids a clock stores, in
    one query for all of them (a list page resolves its rows at once)."""
    if kind not in LINK_KINDS:
        raise ValueError(f"unknown link kind {kind!r}")
    _LINKS[kind] = resolve


def say(code: str, params: dict | None, fallback: str = "") -> str:
    """The text ``code`` in the active language; ``fallback`` (the stored copy) when no app says it."""
    render = _TEXTS.get(code or "")
    if render is None:
        return fallback
    try:
        return str(render(params or {}))
    except (KeyError, ValueError, TypeError):
        return fallback  # parameters of an older release: the stored copy still reads right


def stored(value) -> tuple[str, str, dict]:
    """(copy in the installation's language, code, params) of a plain string or a :class:`Text`."""
    if isinstance(value, Text):
        with translation.override(settings.LANGUAGE_CODE):
            return say(value.code, value.params, value.code), value.code, dict(value.params)
    return value or "", "", {}


def title(deadline) -> str:
    """The clock's title in the reader's language."""
    text = say(deadline.label_code, deadline.label_params, deadline.label)
    return text or f"{deadline.rule_id} #{deadline.pk}"


def end_note(deadline) -> str:
    """Why the clock ended, in the reader's language (an officer's own words stay as written)."""
    return say(deadline.end_note_code, deadline.end_note_params, deadline.end_note)


def attach_links(deadlines: Iterable) -> list:
    """Set ``case_link`` and ``person_link`` (a :class:`Link` or None) on each clock: one query per
    kind for the whole list, none when no app registered the kind."""
    deadlines = list(deadlines)
    for kind in LINK_KINDS:
        ids = {str(getattr(d, f"{kind}_id")) for d in deadlines if getattr(d, f"{kind}_id")}
        links = _LINKS[kind](ids) if ids and kind in _LINKS else {}
        for d in deadlines:
            setattr(d, f"{kind}_link", links.get(str(getattr(d, f"{kind}_id"))))
    return deadlines
