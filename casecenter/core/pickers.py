"""Searchable pickers: a person, an officer, a unit or a cause is chosen by typing its name, pinyin
(``zhangsan``), initials (``zs``), a fragment of an ID number or a unit's name, never by typing an
internal number or an account name. ``web/static/web/forms.js`` turns each picker's ``<select>``
into a keyboard-friendly search box (tom-select: arrows, Enter, Esc).

- Local (:class:`PickerSelect`, :class:`PickerMultiple`): the choices are few enough to be in the
  page (units of one's scope, causes, the chiefs who may decide); each option carries the words
  it is found by, the pinyin and initials of its label (:func:`search_keys`, registered by the
  search app), so ``dcfj`` finds 东城分局 without asking the server.
- Remote (:class:`RemotePickerField`, :class:`RemotePickerMultipleField`): the choices are too many
  for a page (the person registry, a city's officers). The page holds only the chosen ones; the
  picker asks its endpoint (a :class:`PickerApi`, read-only, in the access matrix) for the matches
  of what is typed. The endpoint and the form call the same ``find`` of the owning app, which
  applies the user's scope; the form also checks the chosen row against its own queryset.

Without script, a local picker is a plain select, and a remote one adds a text box
(``<name>__q``): what is typed there is resolved when exactly one entry matches; otherwise the
matches are listed in the select with an error asking to choose one, the typed text kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIteratorValue
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import ApplicationError

#: How many matches a typed query lists (in the picker, and without script in the select).
MAX_MATCHES = 20
_TERMS = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class Option:
    """One match of a picker: ``value`` is posted, ``label`` and ``detail`` are shown."""

    value: str
    label: str
    detail: str = ""
    data: dict = field(default_factory=dict)


# --- the words an option is found by ------------------------------------------------------------

_search_keys: Callable[[str], str] = lambda label: ""  # noqa: E731 - replaced by the search app


def register_search_keys(function: Callable[[str], str]) -> None:
    """The search app gives the pinyin of a label here (core cannot import it: it is below)."""
    global _search_keys
    _search_keys = function


def search_keys(label: str) -> str:
    return _search_keys(str(label))


# --- local pickers --------------------------------------------------------------------------------

class PickerSelect(forms.Select):
    """A select made searchable. ``detail`` and ``option_data`` (set by the form) add a second
    line and data to each option: ``option_data(instance) -> {"when": [...]}`` lets an option
    follow another field (``data-follows``: only the causes of the chosen kind are offered).

    Rendered here in one pass, not through a template per option: a filter's unit list holds
    hundreds of options, and Django's option templates cost more than the rest of the page."""

    picker = "local"
    placeholder = _("Type to search")

    def __init__(self, attrs=None, choices=()):
        defaults = {"data-picker": self.picker, "data-placeholder": self.placeholder,
                    "data-no-results": _("Nothing matches.")}
        super().__init__(attrs={**defaults, **(attrs or {})}, choices=choices)
        self.detail: Callable[[object], str] | None = None
        self.option_data: Callable[[object], dict] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = set(self.format_value(value))
        options = []
        for choice_value, label in self.visible_choices(selected):
            if isinstance(label, list | tuple):  # an <optgroup>
                inner = "".join(self._option(v, lab, selected) for v, lab in label)  # escaped by _option
                options.append(f'<optgroup label="{escape(choice_value)}">{inner}</optgroup>')
            else:
                options.append(self._option(choice_value, label, selected))
        return mark_safe(f"<select{flatatt(final)}>{''.join(options)}</select>{self.after(name)}")  # noqa: S308

    def visible_choices(self, selected: set[str]):
        return self.choices

    def after(self, name: str) -> str:
        return ""

    def _option(self, value, label, selected: set[str]) -> str:
        instance = getattr(value, "instance", value)
        value = "" if value is None else str(getattr(value, "value", value))
        data = {"search": search_keys(label)} if value else {}
        if value and self.detail:
            data["detail"] = self.detail(instance)
        if value and self.option_data:
            data.update(self.option_data(instance))
        data_attr = f' data-data="{escape(json.dumps(data, ensure_ascii=False))}"' if data else ""
        chosen = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{data_attr}{chosen}>{escape(label)}</option>'


class PickerMultiple(PickerSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select posts nothing


# --- remote pickers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PickerQuery:
    """Text typed in a remote picker's box without script, to be resolved by the form; ``values``:
    the entries chosen in the select as well (a multiple picker adds the typed ones to them)."""

    text: str
    values: tuple[str, ...] = ()


class RemotePickerSelect(PickerSelect):
    picker = "remote"
    placeholder = _("Type a name or pinyin to search")

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.candidates: list[Option] = []
        self.resolved: list[str] = []
        self.query = ""
        self.hint = ""

    def value_from_datadict(self, data, files, name):
        query = " ".join((data.get(f"{name}__q") or "").split())[:100]
        self.query = query
        if self.allow_multiple_selected:
            values = [v for v in (data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []) if v]
            return PickerQuery(query, tuple(values)) if query else values
        values = data.get(name) or ""
        return PickerQuery(query) if query else values

    def value_omitted_from_data(self, data, files, name):
        return False

    def use_required_attribute(self, initial):
        # Django's Select looks at the first choice to decide, which runs the whole queryset.
        return not self.is_hidden

    def format_value(self, value):
        if isinstance(value, PickerQuery):
            # What was chosen and what the typed text resolved to, shown again if the form is refused.
            return [*value.values, *self.resolved]
        return super().format_value(value)

    def visible_choices(self, selected: set[str]):
        """Only the chosen entries (and the matches of a query typed without script): the
        queryset may hold a city's people."""
        choices = [] if self.allow_multiple_selected else [("", "—")]
        iterator = self.choices
        ids = [v for v in selected if v.isdigit()]
        if ids and hasattr(iterator, "queryset"):
            field = iterator.field
            for obj in iterator.queryset.filter(pk__in=ids):
                choices.append((ModelChoiceIteratorValue(obj.pk, obj), field.label_from_instance(obj)))
        for option in self.candidates:
            if option.value not in selected:
                choices.append((option.value, option.label))
        return choices

    def _option(self, value, label, selected):
        if isinstance(value, str):  # a candidate of a query typed without script
            detail = next((o.detail for o in self.candidates if o.value == value), "")
            data = json.dumps({"search": "", "detail": detail}, ensure_ascii=False)
            chosen = " selected" if value in selected else ""
            return f'<option value="{escape(value)}" data-data="{escape(data)}"{chosen}>{escape(label)}</option>'
        return super()._option(value, label, selected)

    def after(self, name: str) -> str:
        # Read only without script: with it, the picker searches as one types.
        return format_html(
            '<noscript><input type="search" class="form-control form-control-sm mt-1" name="{}__q" value="{}" '
            'placeholder="{}" aria-label="{}" maxlength="100"><div class="form-text small">{}</div></noscript>',
            name, self.query, self.hint, self.hint,
            gettext("Type it and submit the form: the matches are then listed above to choose from."))


class RemotePickerMultiple(RemotePickerSelect):
    allow_multiple_selected = True


class _Remote:
    """What the two remote fields share: the endpoint, the ``find`` of the owning app, and the
    resolution of a query typed without script."""

    def _setup(self, url_name: str, hint) -> None:
        self.url_name = url_name
        self.find: Callable[[str, int], list[Option]] | None = None
        self.widget.hint = hint

    def bind(self, find: Callable[[str, int], list[Option]], *, detail: Callable[[object], str] | None = None,
             **params) -> None:
        """Give the field the owning app's search (bound to the user) and the endpoint's parameters."""
        self.find = find
        self.widget.detail = detail
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        self.widget.attrs["data-picker-url"] = reverse(self.url_name) + (f"?{query}" if query else "")

    def resolve(self, query: PickerQuery, *, many: bool) -> list[str]:
        terms = [t.strip() for t in _TERMS.split(query.text)] if many else [query.text]
        chosen, problems, candidates = [], [], []
        for term in filter(None, terms):
            try:
                found = self.find(term, MAX_MATCHES + 1) if self.find else []
            except ApplicationError as exc:  # a query that cannot be run: its own message
                problems.append(exc.message)
                continue
            if len(found) == 1:
                chosen.append(found[0].value)
                candidates.append(found[0])
                continue
            candidates.extend(found[:MAX_MATCHES])
            problems.append(gettext("Nothing matches “{query}”.").format(query=term) if not found else
                            gettext("Several match “{query}”: choose one in the list.").format(query=term))
        self.widget.candidates, self.widget.resolved = candidates, chosen
        if problems:
            raise ValidationError(problems, code="invalid_choice")
        return chosen


ONE_HINT = _("Name, pinyin or ID number")
MANY_HINT = _("Names or pinyin, separated by commas")


class RemotePickerField(_Remote, forms.ModelChoiceField):
    widget = RemotePickerSelect

    def __init__(self, queryset, *, url_name: str, hint=ONE_HINT, **kwargs):
        super().__init__(queryset, empty_label=None, **kwargs)
        self._setup(url_name, hint)

    def clean(self, value):
        if isinstance(value, PickerQuery):
            value = self.resolve(value, many=False)[0]
        return super().clean(value)


class RemotePickerMultipleField(_Remote, forms.ModelMultipleChoiceField):
    widget = RemotePickerMultiple

    def __init__(self, queryset, *, url_name: str, hint=MANY_HINT, **kwargs):
        super().__init__(queryset, **kwargs)
        self._setup(url_name, hint)

    def clean(self, value):
        if isinstance(value, PickerQuery):
            value = list(dict.fromkeys([*value.values, *self.resolve(value, many=True)]))
        return super().clean(value)


# --- the endpoints --------------------------------------------------------------------------------

class PickerInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                              help_text=_("What was typed: a name, pinyin, initials or a fragment of a number"))
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=MAX_MATCHES)


class OptionOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField()


class PickerOutput(serializers.Serializer):
    results = OptionOutput(many=True)


class PickerApi(APIView):
    """The matches of what is typed in a picker, as ``{"results": [{value, label, detail}]}``.
    Read-only; bad input answers 400 in the one error shape. Subclasses set ``input_class`` (a
    ``PickerInput`` with their own parameters) and ``options(request, data)``."""

    input_class = PickerInput

    def options(self, request, data: dict) -> list[Option]:
        raise NotImplementedError

    def get(self, request):
        params = self.input_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        options = self.options(request, params.validated_data)
        return Response({"results": [{k: v for k, v in asdict(o).items() if k != "data"} for o in options]})


def picker_schema(input_class, summary):
    """The OpenAPI description of a picker endpoint."""
    return extend_schema(parameters=[input_class], responses=PickerOutput, summary=summary)
