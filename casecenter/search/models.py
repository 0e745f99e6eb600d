"""The search index's tables.

:class:`Document` is one indexed thing (a law article, later a case, a person, a transcript): what
is shown (title, body, url, extra), who may see it (unit; NULL for everyone signed in), and what is
searched, already prepared by :mod:`casecenter.search.text` (segmented words of the title and the
body, pinyin of names, identifiers). The full-text structures are the database's own and are built
by migration 0002: on SQLite two FTS5 tables over these columns (words with ``unicode61``,
identifiers with ``trigram``) kept in step by triggers; on PostgreSQL a generated ``tsvector``
column with a GIN index and a ``pg_trgm`` GIN index on the identifiers.

:class:`Term` is the domain dictionary's extension by administrators: words jieba should keep whole
(the shipped list is ``data/dictionary.txt``).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    ref = models.CharField(_("reference"), max_length=64)
    # No index of its own: searches read the unit through search_document_narrow (see ddl.py).
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("unit"), db_index=False)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    # Prepared for the full-text index (see casecenter.search.text):
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    pinyin = models.TextField(blank=True)
    ident = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "ref"], name="search_document_kind_ref")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class Term(models.Model):
    """A word of the domain dictionary added by an administrator."""

    word = models.CharField(
        _("word"), max_length=40, unique=True,
        validators=[RegexValidator(r"^\S+$", _("A dictionary word has no spaces."))],
        help_text=_("Kept whole when texts are segmented, such as 办案区 or an offence name. "
                    "Documents indexed before the word was added keep their old segmentation "
                    "until the index is rebuilt (casecenter search reindex)."))
    frequency = models.PositiveIntegerField(
        _("frequency"), default=20000, validators=[MinValueValidator(1)],
        help_text=_("Higher keeps the word whole more often; the shipped words use 20000."))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
