"""PostgreSQL: a generated tsvector with a GIN index, pg_trgm for identifier fragments
(see casecenter/search/ddl.py). Ranked by ts_rank with the title weighing most."""

from __future__ import annotations

from collections import Counter

from ..query import Chunk, Plan
from .common import MATCH_CAP, Visibility, delete, filters_sql, newest_page, read_page, upsert_rows  # noqa: F401 - the backend interface


def optimize(connection) -> None:
    """Move the GIN index's pending entries into the index proper and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('search_document_tsv'::regclass)")
        cursor.execute("ANALYZE search_document")


def _group_query(group) -> tuple[str, list]:
    # phraseto_tsquery parses plain words (no operators) and keeps their order: one word or a phrase.
    return "phraseto_tsquery('simple', %s)", [" ".join(group)]


def _text_query(chunks: list[Chunk]) -> tuple[str, list]:
    parts, params = [], []
    for chunk in chunks:
        if chunk.kind == "pinyin":
            # The value is [a-z]+ (see query.py), so it is safe inside tsquery syntax.
            parts.append("to_tsquery('simple', %s)")
            params.append(f"{chunk.value}:*")
            continue
        for group in chunk.groups:
            sql, group_params = _group_query(group)
            parts.append(sql)
            params += group_params
    return " && ".join(parts), params


def _identifier_condition(chunk: Chunk) -> tuple[str, list]:
    words_sql, words_params = _text_query([Chunk("text", chunk.groups)])
    escaped = chunk.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"(d.ident LIKE %s OR d.tsv @@ ({words_sql}))", [f"%{escaped}%", *words_params]


def search(connection, plan: Plan, visibility: Visibility, kinds, ref_prefix, limit: int, offset: int):
    """As the SQLite backend's, in up to three short queries, none of which ranks or reads the
    text of thousands of documents:

    1. the ids and kinds of up to MATCH_CAP + 1 matches (a bitmap scan of the GIN index);
    2. up to MATCH_CAP matches: ts_rank of those; more: the page newest first (the planner walks
       the primary key backwards and stops after a page, as a common term is met every few rows);
    3. the page's documents.
    """
    where, params = filters_sql(visibility, kinds, ref_prefix)
    for chunk in plan.chunks:
        if chunk.kind == "identifier":
            condition, condition_params = _identifier_condition(chunk)
            where += " AND " + condition
            params += condition_params
    text_chunks = [c for c in plan.chunks if c.kind != "identifier"]
    if text_chunks:
        query_sql, query_params = _text_query(text_chunks)
        source = f"search_document d, (SELECT {query_sql}) AS q(query) WHERE d.tsv @@ q.query{where}"
        params = [*query_params, *params]
    else:
        source = f"search_document d WHERE TRUE{where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id, d.kind FROM {source} LIMIT {MATCH_CAP + 1}", params)
        matches = cursor.fetchall()
        capped = len(matches) > MATCH_CAP
        counts = dict(Counter(kind for _id, kind in matches[:MATCH_CAP]))
        if not capped:
            if text_chunks and matches:
                cursor.execute(f"SELECT d.id, ts_rank(d.tsv, q.query) FROM search_document d, "
                               f"(SELECT {query_sql}) AS q(query) WHERE d.id = ANY(%s)",
                               [*query_params, [i for i, _kind in matches]])
                scores = dict(cursor.fetchall())
            else:
                scores = {}
            ranked = sorted(((i, scores.get(i, 0.0)) for i, _kind in matches), key=lambda m: (-m[1], -m[0]))
            page = ranked[offset:offset + limit]
        else:
            page = newest_page(cursor, source, params, limit, offset)
        return read_page(cursor, page), counts, capped
