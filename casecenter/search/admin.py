"""The domain dictionary in the administration (system administrator): words jieba keeps whole."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.admin import RoleModelAdmin, site
from casecenter.core.errors import ApplicationError

from . import services, text
from .models import Term


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["word", "frequency"]

    def clean(self):
        cleaned = super().clean()
        word, frequency = cleaned.get("word"), cleaned.get("frequency")
        if word and frequency:
            try:
                services._clean(word, frequency)
            except ApplicationError as error:
                for field, messages_ in error.fields.items():
                    for message in messages_:
                        self.add_error(field if field in self.fields else None, message)
            if not self.errors and word and text.normalise(word) in dict(text.shipped_words()):
                self.add_error("word", _("This word is already in the shipped dictionary."))
        return cleaned


class TermAdmin(RoleModelAdmin):
    form = TermForm
    list_display = ["word", "frequency", "created_at"]
    search_fields = ["word"]
    fields = ["word", "frequency"]

    def has_change_permission(self, request, obj=None):
        # A word is added or removed, never edited: the record of each stays simple to read.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def save_model(self, request, obj, form, change):
        saved = self._service(request, lambda: services.term_add(
            actor=request.user, word=obj.word, frequency=obj.frequency, request=request))
        obj.pk = saved.pk
        self.message_user(request, _("Documents indexed earlier keep their old segmentation until the index is "
                                     "rebuilt: casecenter search reindex."), level=messages.INFO)

    def delete_model(self, request, obj):
        services.term_remove(actor=request.user, term=obj, request=request)

    def delete_queryset(self, request, queryset):
        for term in queryset:
            services.term_remove(actor=request.user, term=term, request=request)


site.register(Term, TermAdmin)
