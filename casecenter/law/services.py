"""Writes of the statute library: loading one version of a law, with its ledger event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from . import documents
from .models import Article, Division, Law, LawVersion
from .parser import ParsedLaw


def _divisions(version: LawVersion, parsed: ParsedLaw) -> dict[tuple, Division]:
    """Create the 编/章/节 tree level by level (a child needs its parent's id) and return the
    divisions by their path of (kind, number) keys, as the parser gives each article's path."""
    by_path: dict[tuple, Division] = {}
    level = [((), None, division) for division in parsed.divisions]
    order = {id(d): i for i, d in enumerate(parsed.iter_divisions())}
    while level:
        rows = [Division(version=version, kind=d.kind, number=d.number, numeral=d.numeral, title=d.title,
                         parent=parent, order=order[id(d)]) for _path, parent, d in level]
        Division.objects.bulk_create(rows)  # returns ids on SQLite ≥ 3.35 and PostgreSQL
        following = []
        for (path, _parent, parsed_division), row in zip(level, rows, strict=True):
            own = (*path, parsed_division.key)
            by_path[own] = row
            following.extend((own, row, child) for child in parsed_division.children)
        level = following
    return by_path


@records("law.version.loaded")
@transaction.atomic
def law_version_load(*, actor, parsed: ParsedLaw, code: str, full_name: str, short_name: str,
                     issuing_body: str, version_date: dt.date, effective_date: dt.date,
                     effective_date_basis: str, source_file: str, source_sha256: str) -> LawVersion:
    """Store one parsed version of a law (creating the law on its first version) and index its articles.

    A version already loaded is refused (Conflict): the articles of a version are what citations
    point at, so a text is never silently replaced under them. A law's names are set by its first
    version; loading a later version under a different full name is refused as a likely wrong code.
    The version, its search documents and its ledger event (with the SHA-256 of the source file)
    commit together or not at all.
    """
    law, created = Law.objects.get_or_create(
        code=code, defaults={"full_name": full_name, "short_name": short_name, "issuing_body": issuing_body})
    if not created and law.full_name != full_name:
        raise Conflict(_("The code {code} belongs to {name}, not to {other}.").format(
            code=code, name=law.full_name, other=full_name), field="code")
    if LawVersion.objects.filter(law=law, version_date=version_date).exists():
        raise Conflict(_("{name} of {date} is already loaded.").format(
            name=law.full_name, date=version_date.isoformat()), field="version_date")

    version = LawVersion.objects.create(
        law=law, version_date=version_date, effective_date=effective_date,
        effective_date_basis=effective_date_basis, preamble="\n".join(parsed.preamble), source_file=source_file,
        source_sha256=source_sha256, article_count=len(parsed.articles), loaded_at=clock.now())
    divisions = _divisions(version, parsed)
    articles = [
        Article(version=version, division=divisions.get(a.division_path), number=a.number,
                sub_number=a.sub_number, label=a.label, order=index,
                paragraphs=[{"text": text, "items": [{"number": i.number, "numeral": i.numeral, "text": i.text}
                                                     for i in items]}
                            for text, items in zip(a.paragraphs, a.items, strict=True)])
        for index, a in enumerate(parsed.articles)
    ]
    Article.objects.bulk_create(articles, batch_size=500)
    record_event(actor=actor, action="law.version.loaded", subject=version, data={
        "law": code, "full_name": full_name, "version_date": version_date.isoformat(),
        "effective_date": effective_date.isoformat(), "effective_date_basis": effective_date_basis,
        "articles": len(articles), "source_file": source_file, "source_sha256": source_sha256})
    # Synchronous, inside this transaction: a version is searchable exactly when it exists, also
    # during ``migrate`` and in tests, where nothing would run an on-commit task.
    documents.index_version(version)
    return version
