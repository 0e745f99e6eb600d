"""The law's documents in the search index: one per article, kind ``law.article``.

A document's ref is ``<code>/<version date>/<article slug>`` (``cpl/2018-10-26/67``,
``…/67-1`` for 第六十七条之一), so a search can be narrowed to one law with the ref prefix
``cpl/`` and the ref alone says which version of the text was hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from .models import Article, LawVersion

KIND = "law.article"
LABEL = _("Articles of law")


def article_ref(article: Article) -> str:
    return f"{article.version.law.code}/{article.version.slug}/{article.slug}"


_CLAUSE_BREAK = re.compile(r"[，、；。,;]")


def operative_clauses(article: Article) -> list[str]:
    """What an article is about, for the ranking: the last clause of each 款 that introduces items.

    Chinese statutes state a measure's conditions as an enumeration whose lead-in ends in the
    measure itself: "对有下列情形之一的犯罪嫌疑人、被告人，可以取保候审：" (刑诉法 第六十七条), "…可以
    监视居住：" (第七十四条), "…应当予以逮捕：" (第八十一条). Other articles mention the measure more often
    in fewer words (the time limits, the deposit), and plain bm25 / ts_rank put them first; the
    lead-in's last clause, searched with the title's weight, lets the article that establishes the
    measure rank first for the measure's name.
    """
    clauses = []
    for paragraph in article.paragraphs:
        if paragraph.get("items"):
            lead_in = paragraph.get("text", "").rstrip("：: ")
            clause = _CLAUSE_BREAK.split(lead_in)[-1].strip()
            if clause:
                clauses.append(clause)
    return clauses


def article_doc(article: Article):
    from casecenter.search.indexing import make_doc

    version = article.version
    law = version.law
    return make_doc(
        KIND, article_ref(article),
        unit=None,  # public text: every signed-in user may read it
        # The full name in the title: the title weighs more, and people search by the law's name.
        title=f"{law.full_name} {article.label}",
        body=article.text,
        keywords=operative_clauses(article),
        url=article.get_absolute_url(),
        extra={"law": law.display_name, "version": version.slug, "article": article.label,
               "division": article.division.title if article.division_id else ""},
    )


def _articles():
    return Article.objects.select_related("version__law", "division").order_by("version_id", "order")


def all_articles() -> Iterator:
    """Every article of every version: the source ``casecenter search reindex law.article`` uses."""
    for article in _articles().iterator(chunk_size=1000):
        yield article_doc(article)


def article_total() -> int:
    return Article.objects.count()


def index_version(version: LawVersion) -> int:
    """Index the articles of one version now (synchronously), in the caller's transaction."""
    from casecenter.search.indexing import index_many

    return index_many(article_doc(article) for article in _articles().filter(version=version))


def register_kind() -> None:
    from casecenter.search.kinds import register

    register(KIND, label=LABEL, source=all_articles, count=article_total, order=10)
