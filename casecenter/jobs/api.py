"""REST endpoint of a long job's progress: the same rows and the same visibility as the bar."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import get_progress_for_user


class ProgressOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField(help_text=_("Dotted name of the job, e.g. search.reindex"))
    label = serializers.CharField()
    state = serializers.CharField(help_text=_("running, succeeded, failed or cancelled"))
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True, help_text=_("Null while the size of the job is unknown"))
    percent = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    result_url = serializers.CharField(help_text=_("Where the result is, once the job has succeeded"))
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    elapsed_seconds = serializers.FloatField()
    remaining_seconds = serializers.FloatField(allow_null=True, help_text=_("A linear estimate; null when unknown"))


class ProgressDetailApi(APIView):
    @extend_schema(responses=ProgressOutput, summary="How far one of the caller's background jobs has come")
    def get(self, request, pk):
        return Response(ProgressOutput(get_progress_for_user(request.user, pk)).data)
