"""Reads of the statute library: which version is in force, a version's contents, one article."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Article, Division, Law, LawVersion, today
from .parser import chinese_numeral_to_int

_SLUG_RE = re.compile(r"^(\d{1,4})(?:-(\d{1,2}))?$")
_LABEL_RE = re.compile(r"^第(\S+?)条(?:之(\S+))?$")


def current_of(versions, *, on: dt.date | None = None) -> LawVersion | None:
    """The version in force on ``on`` (default today): the latest whose effective date has come.
    ``versions`` must be ordered newest first (as ``Law.versions`` is prefetched below)."""
    day = on or today()
    return next((v for v in versions if v.effective_date <= day), None)


def _with_versions(queryset):
    return queryset.prefetch_related(Prefetch("versions", queryset=LawVersion.objects.order_by("-version_date")))


@dataclass
class LawRow:
    law: Law
    current: LawVersion | None   # None: no version in force yet
    latest: LawVersion | None

    @property
    def shown(self) -> LawVersion | None:
        """The version a reader is sent to: the one in force, else the newest (not yet in force)."""
        return self.current or self.latest


def version_status(version: LawVersion, current: LawVersion | None) -> str:
    """"in_force", "superseded" (an older text) or "pending" (not in force yet)."""
    if current is not None and version.pk == current.pk:
        return "in_force"
    if current is not None and version.effective_date <= current.effective_date:
        return "superseded"
    return "pending"


def law_rows(laws=None) -> list[LawRow]:
    """Every law with its current and newest version, in two queries whatever the number of laws."""
    rows = []
    for law in _with_versions(laws if laws is not None else Law.objects.all()):
        versions = list(law.versions.all())
        rows.append(LawRow(law=law, current=current_of(versions), latest=versions[0] if versions else None))
    return rows


def laws_with_versions():
    """A queryset of laws whose ``versions.all()`` is prefetched newest first (for paging in the API)."""
    return _with_versions(Law.objects.all())


def get_law(code: str) -> Law:
    law = _with_versions(Law.objects.filter(code=code)).first()
    if law is None:
        raise Http404(_("There is no law with the code {code}.").format(code=code))
    return law


def get_version(law: Law, version_date: dt.date | None = None) -> LawVersion:
    """The version of ``law`` of ``version_date``, or the current one (the newest if none is in force)."""
    versions = list(law.versions.all())
    if version_date is None:
        version = current_of(versions) or (versions[0] if versions else None)
    else:
        version = next((v for v in versions if v.version_date == version_date), None)
    if version is None:
        raise Http404(_("{name} has no version of {date}.").format(
            name=law.full_name, date=version_date.isoformat() if version_date else "—"))
    version.law = law  # the prefetched law, so that nothing asks for it again
    return version


def parse_article_slug(value: str) -> tuple[int, int | None] | None:
    """``67`` / ``67-1`` / ``第六十七条`` / ``第六十七条之一`` → (67, None) / (67, 1); None if unreadable."""
    match = _SLUG_RE.match(value)
    if match:
        return int(match.group(1)), int(match.group(2)) if match.group(2) else None
    match = _LABEL_RE.match(value)
    if match:
        try:
            number = chinese_numeral_to_int(match.group(1))
            sub = chinese_numeral_to_int(match.group(2)) if match.group(2) else None
        except ValueError:
            return None
        return number, sub
    return None


def get_article(version: LawVersion, slug: str) -> Article:
    key = parse_article_slug(slug)
    article = None
    if key is not None:
        number, sub = key
        article = (version.articles.select_related("division").filter(number=number, sub_number=sub)
                   .first())
    if article is None:
        raise Http404(_("{name} ({date}) has no article {article}.").format(
            name=version.law.full_name, date=version.slug, article=slug))
    article.version = version
    return article


@dataclass
class Neighbours:
    previous: Article | None
    next: Article | None


def neighbours(article: Article) -> Neighbours:
    """The articles before and after, in one query (orders in a version run 0, 1, 2, … without gaps)."""
    found = {a.order: a for a in Article.objects.filter(version_id=article.version_id,
                                                          order__in=(article.order - 1, article.order + 1))
             .only("id", "version_id", "number", "sub_number", "label", "order")}
    for other in found.values():
        other.version = article.version
    return Neighbours(previous=found.get(article.order - 1), next=found.get(article.order + 1))


def citations(article: Article) -> list:
    return list(article.citations.all())


@dataclass
class Node:
    """A division with its sub-divisions and the articles placed directly in it."""

    division: Division | None
    children: list[Node] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


def contents(version: LawVersion) -> Node:
    """The table of contents as a tree under an unnamed root, in two queries.

    Articles outside any division (a short regulation without chapters) hang on the root.
    """
    root = Node(division=None)
    nodes: dict[int, Node] = {}
    for division in version.divisions.order_by("order"):
        node = nodes[division.pk] = Node(division=division)
        (nodes[division.parent_id] if division.parent_id else root).children.append(node)
    for article in version.articles.order_by("order"):
        article.version = version
        (nodes[article.division_id] if article.division_id else root).articles.append(article)
    return root
