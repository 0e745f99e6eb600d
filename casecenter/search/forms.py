from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    # The length limit is checked by the query parser, which says how long the text was.
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS * 50, strip=True)
    kind = forms.CharField(label=_("Kind"), required=False, max_length=40)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=500)

    def clean_page(self):
        return self.cleaned_data.get("page") or 1
