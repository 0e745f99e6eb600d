"""REST endpoint of the global search: the same query, visibility and grouping as the page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.errors import ValidationFailed

from . import kinds
from .selectors import MAX_LIMIT, MAX_OFFSET, search


class SearchInput(serializers.Serializer):
    q = serializers.CharField(help_text=_("What to search for"), max_length=10_000, trim_whitespace=True)
    kinds = serializers.CharField(required=False, help_text=_("Comma-separated kinds, e.g. law.article"))
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=MAX_LIMIT)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_OFFSET)

    def validate_kinds(self, value):
        names = [k.strip() for k in value.split(",") if k.strip()]
        unknown = [k for k in names if kinds.get(k) is None]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown kind: %(kinds)s. Known kinds: %(known)s.")
                % {"kinds": ", ".join(unknown), "known": ", ".join(k.name for k in kinds.all_kinds())})
        return names


class HitOutput(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    ref = serializers.CharField()
    title = serializers.CharField(help_text=_("HTML: escaped text, matches wrapped in <mark>"))
    snippet = serializers.CharField(help_text=_("HTML: escaped text, matches wrapped in <mark>"))
    url = serializers.CharField()
    score = serializers.FloatField()
    extra = serializers.JSONField()


class SearchOutput(serializers.Serializer):
    query = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    capped = serializers.BooleanField(help_text=_("More documents matched than are counted: the counts are lower "
                                                  "bounds, and the results are newest first, not by relevance"))
    counts = serializers.DictField(child=serializers.IntegerField())
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = HitOutput(many=True, source="hits")


class SearchApi(APIView):
    @extend_schema(parameters=[SearchInput], responses=SearchOutput, summary="Search everything the caller may see")
    def get(self, request):
        params = SearchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        result = search(data["q"], user=request.user, kinds=data.get("kinds"), limit=data["limit"],
                        offset=data["offset"])
        if result.error:
            raise ValidationFailed(result.error, field="q")
        return Response(SearchOutput(result).data)
