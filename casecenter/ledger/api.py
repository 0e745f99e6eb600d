"""REST endpoints of the ledger: one view per operation, with its own input and output serializers.

The events, proofs, checkpoint and consistency proofs are the audit administrator's (the access
matrix, area "audit"); the public key is published to every signed-in account, because the
procuratorate and the court are the ones who verify what the bureau hands them.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.api import paginate
from casecenter.core.errors import NotFound

from . import keys, proofs, selectors, services
from .describe import describe
from .models import Event
from .sequencer import latest_checkpoint


class EventFilterInput(serializers.Serializer):
    actor = serializers.CharField(max_length=150, required=False, help_text=_("Username of the actor"))
    action = serializers.CharField(max_length=100, required=False)
    subject_type = serializers.CharField(max_length=64, required=False)
    subject_id = serializers.CharField(max_length=64, required=False)
    case = serializers.CharField(max_length=64, required=False)
    person = serializers.CharField(max_length=64, required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["until"] < attrs["since"]:
            raise serializers.ValidationError({"until": [_("The end date is before the start date.")]})
        return attrs


class EventOutput(serializers.ModelSerializer):
    actor = serializers.JSONField(read_only=True)
    facts = serializers.JSONField(read_only=True)
    description = serializers.SerializerMethodField()
    checkpoint_size = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = ["id", "uid", "position", "checkpoint_size", "recorded_at", "action", "description", "actor",
                  "subject_type", "subject_id", "case_id", "person_id", "unit_id", "request_id",
                  "client_address", "facts"]

    def get_description(self, event) -> str:
        return describe(event)


class EventListApi(APIView):
    @extend_schema(parameters=[EventFilterInput], responses=EventOutput(many=True),
                   summary=_("Recorded events, newest first (audit administrator)"))
    def get(self, request):
        data = EventFilterInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        events = selectors.event_list(user=request.user, actor=f.get("actor"), action=f.get("action"),
                                      subject_type=f.get("subject_type"), subject_id=f.get("subject_id"),
                                      case_id=f.get("case"), person_id=f.get("person"), since=f.get("since"),
                                      until=f.get("until"))
        return paginate(self, request, events, EventOutput)


class CheckpointOutput(serializers.Serializer):
    alg = serializers.CharField()
    tree_size = serializers.IntegerField()
    root_hash = serializers.CharField()
    timestamp = serializers.CharField()
    key_id = serializers.CharField()
    signature = serializers.CharField()


class ProofOutput(serializers.Serializer):
    format = serializers.CharField()
    alg = serializers.CharField()
    event = serializers.CharField(help_text=_("The event's recorded bytes, base64"))
    index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    audit_path = serializers.ListField(child=serializers.CharField())
    checkpoint = CheckpointOutput()


class EventProofApi(APIView):
    @extend_schema(responses={200: ProofOutput,
                              404: OpenApiResponse(description=_("No such event, or not sequenced yet"))},
                   summary=_("An event's inclusion proof bundle (recorded as an export)"))
    def get(self, request, pk: int):
        event = get_object_or_404(Event.objects.all(), pk=pk)
        return Response(services.proof_export(actor=request.user, event=event, request=request))


class CheckpointApi(APIView):
    @extend_schema(responses=CheckpointOutput, summary=_("The latest signed checkpoint"))
    def get(self, request):
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            raise NotFound(_("No checkpoint has been signed yet."))
        return Response(checkpoint.as_signed())


class ConsistencyInput(serializers.Serializer):
    first = serializers.IntegerField(min_value=1)
    second = serializers.IntegerField(min_value=1)

    def validate(self, attrs):
        checkpoint = latest_checkpoint()
        latest = checkpoint.tree_size if checkpoint else 0
        if attrs["first"] > attrs["second"]:
            raise serializers.ValidationError({"first": [_("Must not be larger than second.")]})
        if attrs["second"] > latest:
            raise serializers.ValidationError(
                {"second": [_("Must not be larger than the latest checkpoint's size, {size}.").format(size=latest)]})
        return attrs


class ConsistencyOutput(serializers.Serializer):
    alg = serializers.CharField()
    size1 = serializers.IntegerField()
    size2 = serializers.IntegerField()
    proof = serializers.ListField(child=serializers.CharField(), help_text=_("Hashes, hex"))


class ConsistencyProofApi(APIView):
    @extend_schema(parameters=[ConsistencyInput], responses=ConsistencyOutput,
                   summary=_("Proof that the tree of the first size is a prefix of the tree of the second"))
    def get(self, request):
        data = ConsistencyInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        return Response(proofs.consistency_bundle(data.validated_data["first"], data.validated_data["second"]))


class PublicKeyApi(APIView):
    @extend_schema(responses={(200, "application/x-pem-file"): OpenApiTypes.STR},
                   summary=_("The public key that verifies the checkpoints (PEM)"))
    def get(self, request):
        return HttpResponse(keys.public_key_pem(), content_type="application/x-pem-file")
