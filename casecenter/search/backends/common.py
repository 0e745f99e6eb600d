"""What both backends share: turning a Doc into a row, and the visibility filter as SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder

from casecenter.core.clock import now

from .. import text

COLUMNS = ("kind", "ref", "unit_id", "title", "body", "url", "extra", "title_words", "body_words", "pinyin",
           "ident", "indexed_at")
TITLE_MAX = 500
# Up to MATCH_CAP matches are counted exactly and ordered by relevance. A query that matches more is
# not selective: its matches are shown newest first (index order), which needs no ranking or
# counting of thousands of documents, and its counts are lower bounds ("2,000+"), taken from the
# MATCH_CAP + 1 matches the database met first. The page says so.
MATCH_CAP = 2_000
PAGE_COLUMNS = "d.id, d.kind, d.ref, d.title, d.body, d.url, d.unit_id, d.extra"


def prepare(doc) -> tuple:
    """A document's row, its text prepared for the index (see casecenter.search.text).

    Each field is normalised and segmented in one call (names with the body, keywords with the
    title, identifiers together): indexing speed is mostly this function's.
    """
    title_words = text.words_text("\n".join((doc.title, *doc.keywords)))
    body_words = text.words_text("\n".join((doc.body, *doc.names)))
    pinyin = " ".join(key for name in doc.names for key in text.pinyin_keys(name))
    ident = " ".join(text.identifier_keys(doc.identifiers))
    return (doc.kind, doc.ref, doc.unit_id, doc.title[:TITLE_MAX], doc.body, doc.url[:500],
            json.dumps(doc.extra, cls=DjangoJSONEncoder, ensure_ascii=False),
            title_words, body_words, pinyin, ident, now())


def newest_page(cursor, source_sql: str, params: list, limit: int, offset: int, *,
                order: str = "d.id DESC") -> list[tuple]:
    """(id, 0.0) of a newest-first page of the matches of ``source_sql`` (FROM … WHERE …)."""
    cursor.execute(f"SELECT d.id, 0.0 FROM {source_sql} ORDER BY {order} LIMIT %s OFFSET %s",
                   [*params, limit, offset])
    return cursor.fetchall()


def read_page(cursor, ranked) -> list[tuple]:
    """The page's document rows, in the order of ``ranked`` ((id, score) pairs), score appended."""
    if not ranked:
        return []
    ids = [i for i, _score in ranked]
    cursor.execute(f"SELECT {PAGE_COLUMNS} FROM search_document d WHERE d.id IN ({', '.join(['%s'] * len(ids))})",
                   ids)
    documents = {row[0]: row for row in cursor.fetchall()}
    return [(*documents[i], score) for i, score in ranked if i in documents]


@dataclass(frozen=True)
class Visibility:
    """Which documents a user may see: those without a unit, and those of ``units_sql`` (a
    sub-select of unit ids, or None for every unit)."""

    all_units: bool
    units_sql: str | None = None
    units_params: tuple = ()
    hidden_kinds: tuple = ()     # kinds limited to roles the user does not hold (kinds.Kind.roles)

    def sql(self, alias: str = "d") -> tuple[str, list]:
        hidden = ""
        if self.hidden_kinds:
            hidden = f" AND {alias}.kind NOT IN ({', '.join(['%s'] * len(self.hidden_kinds))})"
        if self.all_units:
            return hidden, list(self.hidden_kinds)
        if self.units_sql is None:
            return f" AND {alias}.unit_id IS NULL" + hidden, list(self.hidden_kinds)
        return (f" AND ({alias}.unit_id IS NULL OR {alias}.unit_id IN ({self.units_sql}))" + hidden,
                [*self.units_params, *self.hidden_kinds])


def filters_sql(visibility: Visibility, kinds, ref_prefix, alias: str = "d") -> tuple[str, list]:
    sql, params = visibility.sql(alias)
    if kinds:
        sql += f" AND {alias}.kind IN ({', '.join(['%s'] * len(kinds))})"
        params += list(kinds)
    if ref_prefix:
        escaped = ref_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql += f" AND {alias}.ref LIKE %s ESCAPE '\\'"
        params.append(escaped + "%")
    return sql, params


_UPSERT = (
    f"INSERT INTO search_document ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
    "ON CONFLICT (kind, ref) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("kind", "ref"))
)


def upsert_rows(connection, rows) -> None:
    """Insert or replace prepared rows (PostgreSQL: its generated tsvector column follows)."""
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, rows)


def delete(connection, keys) -> None:
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_document WHERE kind = %s AND ref = %s", list(keys))
