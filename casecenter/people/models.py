"""The person registry (一人一档): one entry per real person.

A resident ID number identifies a person: at most one live entry carries it (a conditional unique
constraint; entries without a number are allowed, a walk-in may not carry an ID). Duplicates that
slipped in anyway are merged: the merged-away entry stays, points at the survivor through
``merged_into`` and keeps no references (:func:`casecenter.people.services.person_merge`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casecenter.core import clock


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class PersonQuerySet(models.QuerySet):
    def live(self):
        """Entries not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    """One real person. ``name_pinyin`` ("zhang san|zs ...") is kept by the services for search;
    ``birth_date`` and ``sex`` agree with the resident ID number when there is one."""

    name = models.CharField(pgettext_lazy("a person's", "name"), max_length=100)  # 姓名, not a thing's 名称
    aliases = models.JSONField(_("former names and aliases"), default=list, blank=True)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=400, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=32, blank=True)
    nationality = models.CharField(_("nationality"), max_length=64, default="中国", blank=True)
    household_registration = models.CharField(_("household registration"), max_length=200, blank=True)
    residence = models.CharField(_("residence"), max_length=200, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    education = models.CharField(_("education"), max_length=32, blank=True)
    photo = models.FileField(_("photo"), upload_to="people/photos/", null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_entries")
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=Q(id_number__isnull=False),
                                    name="people_person_unique_id_number"),
        ]
        indexes = [
            models.Index(fields=["birth_date", "name"], name="people_birth_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_RESIDENCE = "foreign_residence", _("Foreign permanent resident ID card")
    OTHER = "other", _("Other")


class IdentityDocument(models.Model):
    """An identity document other than the resident ID card (a passport, a travel permit)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issuing_country = models.CharField(_("issuing country"), max_length=64, blank=True)

    class Meta:
        ordering = ["kind", "number"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number", "issuing_country"], name="people_document_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
