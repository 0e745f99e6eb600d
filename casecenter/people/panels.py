"""Panels that higher apps contribute to the person dossier (DESIGN.md §2: a lower page loads a
higher app's HTMX fragment by its URL). An app registers the URL name of its fragment, which
takes the person's id, in its AppConfig.ready(); the dossier loads each after the page."""

from __future__ import annotations

_PANELS: list[str] = []


def register(url_name: str) -> None:
    if url_name not in _PANELS:
        _PANELS.append(url_name)


def panels() -> list[str]:
    return list(_PANELS)
