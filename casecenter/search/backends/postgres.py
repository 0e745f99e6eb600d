"""PostgreSQL: a generated tsvector with a GIN index, pg_trgm for identifier fragments
(see casecenter/search/ddl.py). Ranked by ts_rank with the title weighing most."""

from __future__ import annotations

from ..query import Chunk, Plan
from .common import Visibility, clear, delete, filters_sql, upsert  # noqa: F401 - the backend interface

SELECT = "d.id, d.kind, d.ref, d.title, d.body, d.url, d.unit_id, d.extra"


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
        for index in range(len(chunk.groups)):
            options = [_group_query(o) for o in chunk.options(index)]
            parts.append("(" + " || ".join(sql for sql, _ in options) + ")")
            params += [p for _, option_params in options for p in option_params]
    return " && ".join(parts), params


def _identifier_condition(chunk: Chunk) -> tuple[str, list]:
    words_sql, words_params = _text_query([Chunk("text", chunk.groups)])
    escaped = chunk.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"(d.ident LIKE %s OR d.tsv @@ ({words_sql}))", [f"%{escaped}%", *words_params]


def search(connection, plan: Plan, visibility: Visibility, kinds, ref_prefix, limit: int, offset: int):
    where, params = filters_sql(visibility, kinds, ref_prefix)
    for chunk in plan.chunks:
        if chunk.kind == "identifier":
            condition, condition_params = _identifier_condition(chunk)
            where += " AND " + condition
            params += condition_params
    text_chunks = [c for c in plan.chunks if c.kind != "identifier"]
    with connection.cursor() as cursor:
        if text_chunks:
            query_sql, query_params = _text_query(text_chunks)
            source = f"search_document d, (SELECT {query_sql}) AS q(query) WHERE d.tsv @@ q.query"
            source_params = query_params
            order, score = "ts_rank(d.tsv, q.query) DESC, d.id", "ts_rank(d.tsv, q.query)"
        else:
            source, source_params = "search_document d WHERE TRUE", []
            order, score = "d.id DESC", "0.0"
        cursor.execute(f"SELECT d.kind, COUNT(*) FROM {source}{where} GROUP BY d.kind", source_params + params)
        counts = dict(cursor.fetchall())
        if not counts or offset >= sum(counts.values()):
            return [], counts
        cursor.execute(f"SELECT {SELECT}, {score} FROM {source}{where} ORDER BY {order} LIMIT %s OFFSET %s",
                       source_params + params + [limit, offset])
        return cursor.fetchall(), counts
