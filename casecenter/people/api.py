"""REST endpoints of the person registry: list and search, detail, create, update, the photo
(read and upload, multipart), merge and unmerge. One view per operation with its input and output
serializers; refusals come back in the project's one error shape (a duplicate ID number: 409 with
``person_id`` of the registered entry)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.api import paginate
from casecenter.core.errors import NotFound, ValidationFailed
from casecenter.ledger.models import Event

from . import photos, selectors, services
from .models import DocumentKind, IdentityDocument, Person, Sex


class DocumentOutput(serializers.ModelSerializer):
    class Meta:
        model = IdentityDocument
        fields = ["id", "kind", "number", "issuing_country"]


class PersonOutput(serializers.ModelSerializer):
    photo_url = serializers.SerializerMethodField(help_text=_("The photo (access-checked), or null"))

    class Meta:
        model = Person
        fields = ["id", "name", "aliases", "sex", "birth_date", "id_number", "ethnicity", "nationality",
                  "household_registration", "residence", "phones", "employer", "education", "photo_url",
                  "created_at", "merged_into", "merged_at"]

    def get_photo_url(self, person: Person) -> str | None:
        if not person.photo:
            return None
        # The hash in the query changes the URL with the photo, so a client's cache never shows an old one.
        return f"{reverse('api:person-photo', args=[person.pk])}?v={photos.sha256_of(person.photo.name)[:12]}"


class PersonDetailOutput(PersonOutput):
    documents = DocumentOutput(many=True, read_only=True)

    class Meta(PersonOutput.Meta):
        fields = [*PersonOutput.Meta.fields, "documents"]


class PersonInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    id_number = serializers.CharField(max_length=20, required=False, allow_null=True, allow_blank=True, default=None)
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    phones = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    ethnicity = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    nationality = serializers.CharField(max_length=64, required=False, allow_blank=True, default="中国")
    household_registration = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    residence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    employer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    education = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class PersonSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True,
                              help_text=_("Name, pinyin, initials, ID number fragment or phone"))
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)


class PersonSearchOutput(serializers.Serializer):
    total = serializers.IntegerField()
    results = PersonOutput(many=True)


class PersonListApi(APIView):
    @extend_schema(parameters=[PersonSearchInput], responses=PersonOutput(many=True),
                   summary=_("People by name (paged), or those matching q"))
    def get(self, request):
        data = PersonSearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        if not f.get("q", "").strip():
            return paginate(self, request, selectors.person_list(), PersonOutput)
        found = selectors.person_search(f["q"], user=request.user, limit=f["limit"], offset=f["offset"])
        if found.error:
            raise ValidationFailed(found.error, field="q")
        return Response(PersonSearchOutput({"total": found.total, "results": found.persons}).data)

    @extend_schema(request=PersonInput, responses=PersonDetailOutput, summary=_("Register a person"))
    def post(self, request):
        payload = PersonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        person = services.person_create(actor=request.user, request=request, **payload.validated_data)
        return Response(PersonDetailOutput(person).data, status=201)


class PersonUpdateInput(PersonInput):
    """Only the fields sent are changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required, field.default = False, serializers.empty


class PersonDetailApi(APIView):
    @extend_schema(responses=PersonDetailOutput, summary=_("One person"))
    def get(self, request, pk: int):
        return Response(PersonDetailOutput(selectors.get_person_for_user(request.user, pk)).data)

    @extend_schema(request=PersonUpdateInput, responses=PersonDetailOutput, summary=_("Change a person's entry"))
    def patch(self, request, pk: int):
        person = selectors.get_person_for_user(request.user, pk)
        payload = PersonUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.person_update(actor=request.user, person=person, request=request, **payload.validated_data)
        return Response(PersonDetailOutput(selectors.get_person_for_user(request.user, pk)).data)


class DocumentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    number = serializers.CharField(max_length=64)
    issuing_country = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PersonDocumentAddApi(APIView):
    @extend_schema(request=DocumentInput, responses=PersonDetailOutput,
                   summary=_("Add an identity document (passport, permit) to a person"))
    def post(self, request, pk: int):
        person = selectors.get_person_for_user(request.user, pk)
        payload = DocumentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.person_document_add(actor=request.user, person=person, request=request, **payload.validated_data)
        return Response(PersonDetailOutput(selectors.get_person_for_user(request.user, pk)).data, status=201)


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField(help_text=_("JPEG or PNG, at most 5 MB"))


class PersonPhotoApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY,
                              404: OpenApiResponse(description=_("No such person, or no photo"))},
                   summary=_("The person's photo"))
    def get(self, request, pk: int):
        person = selectors.get_person_for_user(request.user, pk)
        if not person.photo:
            raise NotFound(str(_("This entry has no photo.")))
        return photos.http_response(person.photo.name, if_none_match=request.headers.get("If-None-Match"))

    @extend_schema(request={"multipart/form-data": PhotoInput},
                   responses={201: PersonDetailOutput, 200: PersonDetailOutput},
                   summary=_("Set the person's photo (multipart upload): 201 for a first photo, 200 replacing one"))
    def post(self, request, pk: int):
        person = selectors.get_person_for_user(request.user, pk)
        payload = PhotoInput(data=request.data)
        payload.is_valid(raise_exception=True)
        replaced = bool(person.photo)
        person = services.person_set_photo(actor=request.user, person=person, upload=payload.validated_data["photo"],
                                           request=request)
        # A first photo creates the resource; a new one replaces it.
        return Response(PersonDetailOutput(person).data, status=200 if replaced else 201)


class PhotoRemoveInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PersonPhotoRemoveApi(APIView):
    @extend_schema(request=PhotoRemoveInput, responses=PersonDetailOutput,
                   summary=_("Take the photo off the person's entry, with the reason"))
    def post(self, request, pk: int):
        person = selectors.get_person_for_user(request.user, pk)
        payload = PhotoRemoveInput(data=request.data)
        payload.is_valid(raise_exception=True)
        person = services.person_remove_photo(actor=request.user, person=person,
                                              reason=payload.validated_data["reason"], request=request)
        return Response(PersonDetailOutput(person).data)


class MergeInput(serializers.Serializer):
    survivor = serializers.IntegerField(help_text=_("The entry that remains"))
    reason = serializers.CharField(max_length=500)


class PersonMergeApi(APIView):
    @extend_schema(request=MergeInput, responses=PersonDetailOutput,
                   summary=_("Merge this entry into the survivor (moves every reference)"))
    def post(self, request, pk: int):
        merged = selectors.get_person_for_user(request.user, pk)
        payload = MergeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            survivor = selectors.get_person_for_user(request.user, payload.validated_data["survivor"])
        except NotFound:
            raise ValidationFailed(str(_("There is no entry with this number.")), field="survivor") from None
        survivor = services.person_merge(actor=request.user, survivor=survivor, merged=merged,
                                         reason=payload.validated_data["reason"], request=request)
        return Response(PersonDetailOutput(survivor).data)


class UnmergeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PersonUnmergeApi(APIView):
    @extend_schema(request=UnmergeInput, responses=PersonDetailOutput, summary=_("Undo the merge of this entry"))
    def post(self, request, pk: int):
        merged = selectors.get_person_for_user(request.user, pk)
        payload = UnmergeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        event: Event | None = selectors.merge_event_of(merged)
        if event is None:
            raise ValidationFailed(str(_("This entry is not merged.")))
        merged = services.person_unmerge(actor=request.user, merge_event=event,
                                         reason=payload.validated_data["reason"], request=request)
        return Response(PersonDetailOutput(merged).data)
