"""SQLite: FTS5 (see casecenter/search/ddl.py). Ranked by bm25 with the title weighing most."""

from __future__ import annotations

from ..query import Chunk, Plan
from .common import Visibility, clear, delete, filters_sql, upsert  # noqa: F401 - the backend interface

# bm25 column weights: title_words, body_words, pinyin (a name's pinyin matches strongly).
RANK = "bm25(search_fts, 8.0, 1.0, 4.0)"
SELECT = "d.id, d.kind, d.ref, d.title, d.body, d.url, d.unit_id, d.extra"


def _quote(words) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _group(chunk: Chunk, index: int) -> str:
    options = chunk.options(index)
    if len(options) == 1:
        return _quote(options[0])
    return "(" + " OR ".join(_quote(o) for o in options) + ")"


def _text_expression(chunks: list[Chunk]) -> str:
    parts = []
    for chunk in chunks:
        if chunk.kind == "pinyin":
            parts.append(f"{_quote([chunk.value])} *")
        else:
            parts.extend(_group(chunk, i) for i in range(len(chunk.groups)))
    return " AND ".join(parts)


def _identifier_condition(chunk: Chunk) -> tuple[str, list]:
    words_match = " AND ".join(_quote(g) for g in chunk.groups)
    return ("(d.id IN (SELECT rowid FROM search_ident WHERE search_ident MATCH %s)"
            " OR d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))",
            [_quote([chunk.value]), words_match])


def search(connection, plan: Plan, visibility: Visibility, kinds, ref_prefix, limit: int, offset: int):
    """(rows of this page, {kind: count}); rows are (id, kind, ref, title, body, url, unit_id, extra, score)
    with a higher score better."""
    where, params = filters_sql(visibility, kinds, ref_prefix)
    for chunk in plan.chunks:
        if chunk.kind == "identifier":
            condition, condition_params = _identifier_condition(chunk)
            where += " AND " + condition
            params += condition_params
    text_chunks = [c for c in plan.chunks if c.kind != "identifier"]
    with connection.cursor() as cursor:
        if text_chunks:
            source = "search_fts JOIN search_document d ON d.id = search_fts.rowid WHERE search_fts MATCH %s"
            source_params = [_text_expression(text_chunks)]
            order, score = f"{RANK}", f"-{RANK}"
        else:
            source, source_params = "search_document d WHERE 1 = 1", []
            order, score = "d.id DESC", "0.0"
        cursor.execute(f"SELECT d.kind, COUNT(*) FROM {source}{where} GROUP BY d.kind", source_params + params)
        counts = dict(cursor.fetchall())
        if not counts or offset >= sum(counts.values()):
            return [], counts
        cursor.execute(f"SELECT {SELECT}, {score} FROM {source}{where} ORDER BY {order} LIMIT %s OFFSET %s",
                       source_params + params + [limit, offset])
        return cursor.fetchall(), counts
