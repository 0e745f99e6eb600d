"""Chinese full-text search for every app: jieba segmentation with a domain dictionary, pinyin and
initials, traditional/simplified folding, identifier fragments, on SQLite FTS5 or PostgreSQL
tsvector + pg_trgm (``backends``). The apps above register the kinds they index
(``kinds.register`` in their ``ready()``) and feed the index through ``indexing``.

May import: core, ledger, accounts, jobs. It never imports the apps whose documents it indexes.
"""
