"""SQLite: FTS5 (see casecenter/search/ddl.py). Ranked by bm25 with the title weighing most."""

from __future__ import annotations

from collections import Counter

from ..query import Chunk, Plan
from .common import COLUMNS, MATCH_CAP, Visibility, delete, filters_sql, newest_page, read_page  # noqa: F401 - the backend interface

# bm25 column weights: title_words, body_words, pinyin (a name's pinyin matches strongly).
RANK = "bm25(search_fts, 8.0, 1.0, 4.0)"


_INSERT = (f"INSERT INTO search_document (id, {', '.join(COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})")
_WORDS = [COLUMNS.index(c) for c in ("title_words", "body_words", "pinyin")]
_IDENT = COLUMNS.index("ident")


def upsert_rows(connection, rows) -> None:
    """Replace prepared rows: the old versions go (their full-text entries with them, by the delete
    trigger), the new ones get fresh ids and are written to both FTS5 tables here.

    Writing the FTS5 rows directly, not from an insert trigger, is what makes bulk indexing fast:
    SQLite runs a trigger's statements one row at a time, and FTS5 then does more than twice the
    work per document. Updates are delete-and-insert for the same reason; the delete trigger (and
    the update trigger, for a hand-made UPDATE) keep the index right whoever removes a document.
    """
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_document WHERE kind = %s AND ref = %s", [r[:2] for r in rows])
        # The write transaction is held (IMMEDIATE), so no one else takes these ids meanwhile.
        cursor.execute("SELECT COALESCE(MAX(id), 0), (SELECT seq FROM sqlite_sequence WHERE name = 'search_document') "
                       "FROM search_document")
        top, seq = cursor.fetchone()
        first = max(top, seq or 0) + 1
        ids = range(first, first + len(rows))
        cursor.executemany(_INSERT, [(i, *row) for i, row in zip(ids, rows, strict=True)])
        cursor.executemany("INSERT INTO search_fts (rowid, title_words, body_words, pinyin) VALUES (%s, %s, %s, %s)",
                           [(i, *(row[c] for c in _WORDS)) for i, row in zip(ids, rows, strict=True)])
        cursor.executemany("INSERT INTO search_ident (rowid, ident) VALUES (%s, %s)",
                           [(i, row[_IDENT]) for i, row in zip(ids, rows, strict=True) if row[_IDENT]])


def optimize(connection) -> None:
    """Merge each FTS5 index into one b-tree (after a rebuild: searches read one segment, not dozens)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO search_ident (search_ident) VALUES ('optimize')")


def _quote(words) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _text_expression(chunks: list[Chunk]) -> str:
    parts = []
    for chunk in chunks:
        if chunk.kind == "pinyin":
            parts.append(f"{_quote([chunk.value])} *")
        else:
            parts.extend(_quote(group) for group in chunk.groups)
    return " AND ".join(parts)


def _identifier_condition(chunk: Chunk) -> tuple[str, list]:
    words_match = " AND ".join(_quote(g) for g in chunk.groups)
    return ("(d.id IN (SELECT rowid FROM search_ident WHERE search_ident MATCH %s)"
            " OR d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))",
            [_quote([chunk.value]), words_match])


def search(connection, plan: Plan, visibility: Visibility, kinds, ref_prefix, limit: int, offset: int):
    """(rows of this page, {kind: count}, capped). Rows are (id, kind, ref, title, body, url, unit_id,
    extra, score), a higher score better; ``capped``: more than MATCH_CAP documents matched (see
    ``common.MATCH_CAP``): counts are lower bounds and the order is newest first.

    One pass over the full-text index, newest first, collects up to MATCH_CAP + 1 matches with their
    kind and bm25 (the kind and the visibility from a narrow covering index, not the documents' wide
    rows); only the page's documents are read.
    """
    where, params = filters_sql(visibility, kinds, ref_prefix)
    for chunk in plan.chunks:
        if chunk.kind == "identifier":
            condition, condition_params = _identifier_condition(chunk)
            where += " AND " + condition
            params += condition_params
    text_chunks = [c for c in plan.chunks if c.kind != "identifier"]
    narrow = "search_document d INDEXED BY search_document_narrow"
    if text_chunks:
        source = f"search_fts JOIN {narrow} ON d.id = search_fts.rowid WHERE search_fts MATCH %s{where}"
        params = [_text_expression(text_chunks), *params]
        # Ordered by the FTS5 table's own rowid, which it walks in that order and can stop early.
        rank, newest = RANK, "search_fts.rowid DESC"
    else:
        source, rank, newest = f"{narrow} WHERE 1 = 1{where}", "0.0", "d.id DESC"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id, d.kind, {rank} FROM {source} ORDER BY {newest} LIMIT {MATCH_CAP + 1}", params)
        matches = cursor.fetchall()
        capped = len(matches) > MATCH_CAP
        counts = dict(Counter(kind for _id, kind, _score in matches[:MATCH_CAP]))
        if not capped:
            # bm25: lower is better; ties go to the newer document.
            ranked = sorted(matches, key=lambda m: (m[2], -m[0]))
            page = [(i, -score) for i, _kind, score in ranked[offset:offset + limit]]
        elif offset + limit <= len(matches):
            page = [(i, 0.0) for i, _kind, _score in matches[offset:offset + limit]]
        else:
            page = newest_page(cursor, source, params, limit, offset, order=newest)
        return read_page(cursor, page), counts, capped
