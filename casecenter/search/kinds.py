"""The kinds of document in the search index, registered by the apps that own them.

An app registers each kind it indexes, with a translated label for the grouped results and a
``source`` that yields every :class:`~casecenter.search.indexing.Doc` of that kind, which
``casecenter search reindex [KIND]`` uses to rebuild the index from the app's own tables::

    # in the app's AppConfig.ready()
    from casecenter.search.kinds import register
    register("law.article", label=_("Articles of law"), source=documents.all_articles, order=10)

Kinds are dotted names, ``app.model``; ``order`` places the kind's group on the results page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

KIND_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    source: Callable[[], Iterable] | None
    count: Callable[[], int] | None
    order: int
    # The roles that may see documents of this kind at all (None: whoever sees their unit). Persons
    # have no unit; their kind is limited to the content roles so that administrators and external
    # accounts, who see every document without a unit, do not find them.
    roles: frozenset[str] | None = None


_KINDS: dict[str, Kind] = {}


def register(name: str, *, label, source: Callable[[], Iterable] | None = None,
             count: Callable[[], int] | None = None, order: int = 100, roles=None) -> None:
    """Register (or re-register, on a reload) a kind; ``count`` lets reindex show a total;
    ``roles`` limits the kind to users holding one of them."""
    if not KIND_RE.match(name):
        raise ValueError(f"search kinds are named 'app.model' in lower case; got {name!r}")
    _KINDS[name] = Kind(name=name, label=label, source=source, count=count, order=order,
                        roles=frozenset(str(r) for r in roles) if roles is not None else None)


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))


def label_for(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name
