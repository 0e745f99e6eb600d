"""The statute library: laws, their versions, the 编/章/节 tree and the 条 with their 款 and 项.

A version of a law is immutable once loaded: deadlines and documents cite an article of one
specific version (``Citation``), so a revised law is loaded as a new ``LawVersion`` beside the old
one, never over it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casecenter.core import clock


def today() -> dt.date:
    """The local date on the project's clock: the day that decides which version is in force."""
    return timezone.localdate(clock.now())


class Law(models.Model):
    """A statute, rule or regulation, named by a stable ``code`` (``cpl``) used in URLs and references."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]  # the order they were loaded in: the catalogue's order
        verbose_name = _("law")
        verbose_name_plural = _("laws")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("law:law", args=[self.code])

    @property
    def display_name(self) -> str:
        return self.short_name or self.full_name


class EffectiveDateBasis(models.TextChoices):
    TEXT = "text", _("stated in the text")
    VERSION_DATE = "version-date", _("the version date (no commencement stated for this version)")
    GIVEN = "given", _("given when loaded")


class LawVersionQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> LawVersionQuerySet:
        return self.filter(effective_date__lte=day)


class LawVersion(models.Model):
    """One published text of a law. Several versions coexist; the current one is the latest whose
    effective date has come (see :meth:`Law`-level selectors), so a revision loaded before it takes
    effect does not displace the text in force."""

    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="versions", verbose_name=_("law"))
    version_date = models.DateField(_("version date"))
    effective_date = models.DateField(_("effective date"))
    effective_date_basis = models.CharField(_("basis of the effective date"), max_length=16,
                                            choices=EffectiveDateBasis.choices)
    preamble = models.TextField(_("preamble"), blank=True)
    source_file = models.CharField(_("source file"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256 of the source text"), max_length=64)
    article_count = models.PositiveIntegerField(_("articles"))
    loaded_at = models.DateTimeField(_("loaded at"))

    objects = LawVersionQuerySet.as_manager()

    class Meta:
        ordering = ["law_id", "-version_date"]
        constraints = [models.UniqueConstraint(fields=["law", "version_date"], name="law_version_unique_date")]
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")

    def __str__(self) -> str:
        return f"{self.law.full_name} ({self.version_date.isoformat()})"

    def get_absolute_url(self) -> str:
        return reverse("law:version", args=[self.law.code, self.slug])

    @property
    def slug(self) -> str:
        return self.version_date.isoformat()


class DivisionKind(models.TextChoices):
    PART = "part", _("part (编)")
    CHAPTER = "chapter", _("chapter (章)")
    SECTION = "section", _("section (节)")


_KIND_CHAR = {DivisionKind.PART: "编", DivisionKind.CHAPTER: "章", DivisionKind.SECTION: "节"}


class Division(models.Model):
    """A 编, 章 or 节. ``number`` is None only for an unnumbered division (the 刑诉法's closing 附则)."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="divisions")
    kind = models.CharField(_("kind"), max_length=8, choices=DivisionKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    numeral = models.CharField(_("numeral"), max_length=16, blank=True)
    title = models.CharField(_("title"), max_length=200)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    order = models.PositiveIntegerField(_("order"))  # depth-first position in the text

    class Meta:
        ordering = ["version_id", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="law_division_unique_order")]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip() if self.number is not None else self.title

    @property
    def label(self) -> str:
        """第二章 (or the bare title of an unnumbered division)."""
        if self.number is None:
            return self.title
        return f"第{self.numeral}{_KIND_CHAR[self.kind]}"


class Article(models.Model):
    """One 条. ``paragraphs`` is the list of its 款, each ``{"text": …, "items": [{"number", "numeral",
    "text"}, …]}`` (the 项 of that 款); a 款 whose items follow a bare heading has empty text.

    ``sub_number`` is set for an inserted article (第六十七条之一: number 67, sub_number 1), so an
    amendment never renumbers the articles around it.
    """

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="articles")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="articles", help_text=_("the innermost division"))
    number = models.PositiveSmallIntegerField(_("number"))
    sub_number = models.PositiveSmallIntegerField(_("sub-number"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=32)
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="law_article_unique_order"),
            # NULL never equals NULL in a unique index, so an article without 之 needs its own constraint.
            models.UniqueConstraint(fields=["version", "number"], condition=Q(sub_number__isnull=True),
                                    name="law_article_unique_number"),
            models.UniqueConstraint(fields=["version", "number", "sub_number"],
                                    condition=Q(sub_number__isnull=False), name="law_article_unique_sub_number"),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("law:article", args=[self.version.law.code, self.version.slug, self.slug])

    @property
    def slug(self) -> str:
        """The permalink's last segment: ``67``, or ``67-1`` for 第六十七条之一."""
        return f"{self.number}-{self.sub_number}" if self.sub_number else str(self.number)

    @property
    def text(self) -> str:
        """The whole article, one line per 款 and per 项 (（一）…)."""
        lines: list[str] = []
        for paragraph in self.paragraphs:
            if paragraph["text"]:
                lines.append(paragraph["text"])
            lines.extend(f"（{item['numeral']}）{item['text']}" for item in paragraph["items"])
        return "\n".join(lines)

    def citation_text(self) -> str:
        """《中华人民共和国刑事诉讼法》（2018-10-26）第六十七条: the form officers paste into documents."""
        return f"《{self.version.law.full_name}》（{self.version.slug}）{self.label}"


class Citation(models.Model):
    """A place elsewhere in the system that cites this article (a deadline rule, a document template).

    It names an article of one version, so a citation keeps meaning what it meant when the rule was
    written even after the law is revised. Rows are written by the citing apps' own services.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="citations")
    paragraph = models.PositiveSmallIntegerField(_("paragraph (款)"), null=True, blank=True)
    item = models.PositiveSmallIntegerField(_("item (项)"), null=True, blank=True)
    source_kind = models.CharField(_("cited by (kind)"), max_length=64, help_text=_("e.g. deadlines.rule"))
    source_ref = models.CharField(_("cited by (reference)"), max_length=128)
    label = models.CharField(_("label"), max_length=200)
    url = models.CharField(_("link"), max_length=500, blank=True)

    class Meta:
        ordering = ["source_kind", "label", "id"]
        indexes = [models.Index(fields=["source_kind", "source_ref"], name="law_citation_source")]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return f"{self.label} → {self.pinpoint}"

    @property
    def pinpoint(self) -> str:
        """第六十七条第一款第（二）项: the article narrowed to the cited 款 and 项."""
        from .parser import int_to_chinese_numeral

        text = self.article.label
        if self.paragraph:
            text += f"第{int_to_chinese_numeral(self.paragraph)}款"
        if self.item:
            text += f"第（{int_to_chinese_numeral(self.item)}）项"
        return text
