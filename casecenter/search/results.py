"""What a search returns: ranked hits with highlighted snippets, counted and grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from . import kinds


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    title: SafeString         # HTML-escaped, query terms wrapped in <mark>
    snippet: SafeString       # a window of the body around the first match, marked the same way
    url: str
    unit_id: int | None
    score: float              # higher is better; comparable within one result only
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return kinds.label_for(self.kind)


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    count: int                # every hit of this kind the user may see, not only this page's
    hits: list[Hit]


@dataclass
class SearchResult:
    query: str                                   # the query as given (stripped)
    terms: list[str] = field(default_factory=list)   # the normalised terms that were searched for
    total: int = 0                               # every visible hit, across the chosen kinds
    counts: dict[str, int] = field(default_factory=dict)  # per kind
    hits: list[Hit] = field(default_factory=list)    # this page, best first
    limit: int = 20
    offset: int = 0
    error: str | None = None                     # a translated message for a query that cannot run
    capped: bool = False                         # more matched than MATCH_CAP: counts are lower bounds
    by_relevance: bool = True                    # False (when capped): newest first, not by relevance

    @property
    def groups(self) -> list[Group]:
        """This page's hits grouped by kind, the kinds in their registered order."""
        by_kind: dict[str, list[Hit]] = {}
        for hit in self.hits:
            by_kind.setdefault(hit.kind, []).append(hit)
        order = {k.name: i for i, k in enumerate(kinds.all_kinds())}
        return [Group(kind=k, label=kinds.label_for(k), count=self.counts.get(k, len(h)), hits=h)
                for k, h in sorted(by_kind.items(), key=lambda item: (order.get(item[0], 999), item[0]))]

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0
