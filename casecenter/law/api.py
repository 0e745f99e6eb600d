"""REST endpoints of the statute library: the laws, a version's contents, one article, search.

Read-only and open to every signed-in account (the access matrix, area "directory").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.api import paginate
from casecenter.core.errors import ValidationFailed
from casecenter.search.api import HitOutput
from casecenter.search.selectors import MAX_LIMIT, MAX_OFFSET, search

from . import selectors
from .documents import KIND
from .models import Law

NOT_FOUND = OpenApiResponse(description=_("No such law, version or article"))


class LawVersionOutput(serializers.Serializer):
    version_date = serializers.DateField()
    effective_date = serializers.DateField()
    effective_date_basis = serializers.CharField()
    article_count = serializers.IntegerField()
    status = serializers.SerializerMethodField(help_text=_("in_force, superseded or pending"))
    url = serializers.CharField(source="get_absolute_url")

    def get_status(self, version) -> str:
        return selectors.version_status(version, self.context["current"])


class LawOutput(serializers.ModelSerializer):
    current_version = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Law
        fields = ["code", "full_name", "short_name", "issuing_body", "current_version", "versions", "url"]

    def get_current_version(self, law) -> str | None:
        current = selectors.current_of(law.versions.all())
        return current.slug if current else None

    @extend_schema_field(LawVersionOutput(many=True))
    def get_versions(self, law) -> list[dict]:
        current = selectors.current_of(law.versions.all())
        return LawVersionOutput(law.versions.all(), many=True, context={"current": current}).data


class LawListApi(APIView):
    @extend_schema(responses=LawOutput(many=True), summary=_("The laws in the statute library"),
                   operation_id="law_list")
    def get(self, request):
        return paginate(self, request, selectors.laws_with_versions(), LawOutput)


class LawArticleSummaryOutput(serializers.Serializer):
    number = serializers.IntegerField()
    sub_number = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    slug = serializers.CharField(help_text=_("the permalink's last segment: 67, or 67-1 for 之一"))
    url = serializers.CharField(source="get_absolute_url")


class LawDivisionOutput(serializers.Serializer):
    kind = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    title = serializers.CharField()
    articles = LawArticleSummaryOutput(many=True)
    children = serializers.ListField(child=serializers.DictField(), help_text=_("divisions, the same shape"))


def _node(node) -> dict:
    division = node.division
    return {"kind": division.kind, "number": division.number, "label": division.label, "title": division.title,
            "articles": LawArticleSummaryOutput(node.articles, many=True).data,
            "children": [_node(child) for child in node.children]}


class LawContentsOutput(serializers.Serializer):
    law = serializers.DictField()
    version = LawVersionOutput()
    preamble = serializers.CharField()
    divisions = LawDivisionOutput(many=True)
    articles = LawArticleSummaryOutput(many=True, help_text=_("articles outside any division"))


class LawContentsInput(serializers.Serializer):
    version = serializers.DateField(required=False, help_text=_("YYYY-MM-DD; default: the version in force"))


def _law_facts(law) -> dict:
    return {"code": law.code, "full_name": law.full_name, "short_name": law.short_name,
            "issuing_body": law.issuing_body}


class LawDetailApi(APIView):
    @extend_schema(parameters=[LawContentsInput], responses={200: LawContentsOutput, 404: NOT_FOUND},
                   summary=_("A law's table of contents, in the version in force or the one asked for"),
                   operation_id="law_contents")
    def get(self, request, code: str):
        data = LawContentsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        law = selectors.get_law(code)
        version = selectors.get_version(law, data.validated_data.get("version"))
        current = selectors.current_of(law.versions.all())
        toc = selectors.contents(version)
        return Response({
            "law": _law_facts(law), "version": LawVersionOutput(version, context={"current": current}).data,
            "preamble": version.preamble, "divisions": [_node(child) for child in toc.children],
            "articles": LawArticleSummaryOutput(toc.articles, many=True).data,
        })


class LawItemOutput(serializers.Serializer):
    number = serializers.IntegerField()
    numeral = serializers.CharField()
    text = serializers.CharField()


class LawParagraphOutput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    items = LawItemOutput(many=True)


class LawCitationOutput(serializers.Serializer):
    source_kind = serializers.CharField()
    source_ref = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()
    paragraph = serializers.IntegerField(allow_null=True)
    item = serializers.IntegerField(allow_null=True)
    pinpoint = serializers.CharField()


class LawArticleOutput(LawArticleSummaryOutput):
    law = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    division = serializers.SerializerMethodField()
    paragraphs = LawParagraphOutput(many=True)
    text = serializers.CharField()
    citation_text = serializers.CharField()
    previous = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField()
    cited_by = LawCitationOutput(many=True, source="citation_list")

    def get_law(self, article) -> dict:
        return _law_facts(article.version.law)

    def get_version(self, article) -> str:
        return article.version.slug

    def get_division(self, article) -> str | None:
        return str(article.division) if article.division_id else None

    def get_previous(self, article) -> str | None:
        return article.neighbours.previous.slug if article.neighbours.previous else None

    def get_next(self, article) -> str | None:
        return article.neighbours.next.slug if article.neighbours.next else None


class LawArticleApi(APIView):
    @extend_schema(responses={200: LawArticleOutput, 404: NOT_FOUND},
                   summary=_("One article: its paragraphs and items, neighbours and what cites it"),
                   operation_id="law_article")
    def get(self, request, code: str, version, article: str):
        law = selectors.get_law(code)
        found = selectors.get_article(selectors.get_version(law, version), article)
        found.neighbours = selectors.neighbours(found)
        found.citation_list = selectors.citations(found)
        return Response(LawArticleOutput(found).data)


class LawSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text=_("words of an article, in Chinese or English"))
    law = serializers.SlugField(required=False, help_text=_("only this law's articles (its code, e.g. cpl)"))
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)

    def validate_law(self, value):
        if not Law.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("There is no law with the code {code}.").format(code=value))
        return value


class LawSearchOutput(serializers.Serializer):
    query = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    hits = HitOutput(many=True)   # the global search's hit: ref is code/version date/article


class LawSearchApi(APIView):
    @extend_schema(parameters=[LawSearchInput], responses=LawSearchOutput,
                   summary=_("Full-text search across the articles of every law (or of one)"),
                   operation_id="law_search")
    def get(self, request):
        data = LawSearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        result = search(f["q"], user=request.user, kinds=[KIND],
                        ref_prefix=f"{f['law']}/" if f.get("law") else None, limit=f["limit"], offset=f["offset"])
        if result.error:
            raise ValidationFailed(result.error, field="q")
        return Response(LawSearchOutput(result).data)
