"""The database's own full-text structures over ``search_document``, per vendor.

SQLite: two external-content FTS5 tables (no second copy of the text): ``search_fts`` over the
prepared words (``unicode61``: the words are already separated by spaces) and ``search_ident``
over the identifiers (``trigram``: any fragment of three or more characters matches). The backend
writes a new document's FTS5 rows itself (much faster than an insert trigger, see
``backends/sqlite.py``); triggers remove them on every delete and update, whoever does it.

PostgreSQL: a generated ``tsvector`` column (the title weighted A, pinyin B, the body D) with a
GIN index, and a ``pg_trgm`` GIN index on the identifiers for ``LIKE '%fragment%'``.
"""

from __future__ import annotations

SQLITE_CREATE = [
    # What a search reads for every match (kind, visibility, ref prefix), without the wide rows.
    "CREATE INDEX IF NOT EXISTS search_document_narrow ON search_document (id, kind, unit_id, ref)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title_words, body_words, pinyin,
        content='search_document', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_ident USING fts5(
        ident, content='search_document', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER IF NOT EXISTS search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words, pinyin)
            VALUES ('delete', old.id, old.title_words, old.body_words, old.pinyin);
        INSERT INTO search_ident(search_ident, rowid, ident)
            SELECT 'delete', old.id, old.ident WHERE old.ident <> '';
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words, pinyin)
            VALUES ('delete', old.id, old.title_words, old.body_words, old.pinyin);
        INSERT INTO search_ident(search_ident, rowid, ident)
            SELECT 'delete', old.id, old.ident WHERE old.ident <> '';
        INSERT INTO search_fts(rowid, title_words, body_words, pinyin)
            VALUES (new.id, new.title_words, new.body_words, new.pinyin);
        INSERT INTO search_ident(rowid, ident) SELECT new.id, new.ident WHERE new.ident <> '';
    END""",
]

SQLITE_DROP = [
    "DROP INDEX IF EXISTS search_document_narrow",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TABLE IF EXISTS search_ident",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_document ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_words), 'A')
        || setweight(to_tsvector('simple'::regconfig, pinyin), 'B')
        || to_tsvector('simple'::regconfig, body_words)) STORED""",
    "CREATE INDEX IF NOT EXISTS search_document_tsv ON search_document USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_document_ident ON search_document USING gin (ident gin_trgm_ops)",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_ident",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
]


def statements(vendor: str, *, create: bool = True) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return []
