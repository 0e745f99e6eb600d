"""REST endpoints of the deadline engine: the clocks with the explanation of their due time, the
actions on a clock, and the alerts inbox. One view per operation, each with its input and output
serializers; refusals come back in the project's one error shape, naming the field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.accounts.models import User
from casecenter.core.api import paginate
from casecenter.core.errors import ValidationFailed

from . import explain, selectors, services
from .models import Alert, AlertLevel, AlertState, Deadline, DeadlineState


class DeadlineFilterInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=[*DeadlineState.values, "open"], required=False)
    rule = serializers.CharField(max_length=64, required=False)
    case = serializers.CharField(max_length=64, required=False)
    person = serializers.CharField(max_length=64, required=False)


class DeadlineOutput(serializers.Serializer):
    """A clock. Declared field by field (not a ModelSerializer, which introspects the model on
    every instance): it is in every case and measure response."""

    id = serializers.IntegerField()
    rule_id = serializers.CharField()
    label = serializers.CharField()
    title = serializers.SerializerMethodField(
        help_text=_("The clock's title in the caller's language (label: its copy in the installation's language)"))
    subject_type = serializers.SerializerMethodField()
    subject_id = serializers.CharField()
    case_id = serializers.CharField(allow_null=True)
    person_id = serializers.CharField(allow_null=True)
    unit = serializers.IntegerField(source="unit_id")
    started_at = serializers.DateTimeField()
    person_held = serializers.BooleanField()
    due_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=DeadlineState.choices)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_note = serializers.CharField()

    def get_title(self, deadline) -> str:
        return str(deadline)

    def get_subject_type(self, deadline) -> str:
        return f"{deadline.subject_type.app_label}.{deadline.subject_type.model}"


class StepOutput(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)
    text = serializers.CharField()


class CitationOutput(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class ExplanationOutput(serializers.Serializer):
    rule = serializers.CharField()
    rule_name = serializers.CharField()
    citations = CitationOutput(many=True)
    due_at = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True)
    steps = StepOutput(many=True)
    missing_years = serializers.ListField(child=serializers.IntegerField())
    unconfirmed = serializers.CharField(allow_blank=True)


class DeadlineDetailOutput(DeadlineOutput):
    explanation = serializers.SerializerMethodField()

    @extend_schema(responses=ExplanationOutput)
    def get_explanation(self, deadline) -> dict:
        return explanation(deadline)


def explanation(deadline: Deadline) -> dict:
    rule = selectors.rule_for(deadline)
    result = selectors.computation_for(deadline)
    return {
        "rule": rule.id, "rule_name": rule.name,
        "citations": [{"label": c.label, "url": c.url(deadline.started_at.date())} for c in rule.citations],
        "due_at": result.due_at,
        "remaining_seconds": int(result.remaining.total_seconds()) if result.remaining is not None else None,
        "steps": [{"kind": s.kind, "at": s.at, "text": explain.describe(s)} for s in result.steps],
        "missing_years": list(result.missing_years), "unconfirmed": result.unconfirmed or "",
    }


class DeadlineListApi(APIView):
    @extend_schema(parameters=[DeadlineFilterInput], responses=DeadlineOutput(many=True),
                   summary=_("Deadlines of the units you see, soonest first"))
    def get(self, request):
        data = DeadlineFilterInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        state = f.get("state")
        deadlines = selectors.deadline_list(user=request.user, state=state if state != "open" else None,
                                            open_only=state == "open", rule_id=f.get("rule"), case_id=f.get("case"),
                                            person_id=f.get("person"))
        return paginate(self, request, deadlines, DeadlineOutput)


class DeadlineDetailApi(APIView):
    @extend_schema(responses=DeadlineDetailOutput, summary=_("One deadline, with how its due time was counted"))
    def get(self, request, pk: int):
        return Response(DeadlineDetailOutput(selectors.get_deadline_for_user(request.user, pk)).data)


class DeadlineActionInput(serializers.Serializer):
    """The fields each action takes: pause (kind, at, note), resume (at), extend (tier, approver,
    approved_at, reference, reason), meet (at, note), cancel (reason)."""

    kind = serializers.CharField(max_length=64, required=False)
    at = serializers.DateTimeField(required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    tier = serializers.CharField(max_length=64, required=False)
    approver = serializers.CharField(max_length=64, required=False, help_text=_("Username of the approver"))
    approver_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                          help_text=_("The approving body, when it has no account (a procuratorate)"))
    approved_at = serializers.DateTimeField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    REQUIRED = {"pause": ("kind", "at"), "resume": ("at",), "extend": ("tier", "approved_at"),
                "meet": ("at",), "cancel": ("reason",)}

    def check_required(self, action: str) -> dict:
        data = self.validated_data
        missing = {name: [str(_("This field is required."))] for name in self.REQUIRED[action] if name not in data}
        if missing:
            raise ValidationFailed(str(_("The input is not valid.")), fields=missing)
        return data


def _approver(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username.strip()).first()
    if user is None:
        raise ValidationFailed(str(_("There is no account named {name}.")).format(name=username), field="approver")
    return user


class DeadlineActionApi(APIView):
    @extend_schema(request=DeadlineActionInput, responses=DeadlineDetailOutput,
                   summary=_("Pause, resume, extend, meet or cancel a deadline"))
    def post(self, request, pk: int, action: str):
        deadline = selectors.get_deadline_for_user(request.user, pk)
        payload = DeadlineActionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.check_required(action)
        common = {"actor": request.user, "deadline": deadline, "request": request}
        if action == "pause":
            deadline = services.deadline_pause(kind=d["kind"], at=d["at"], note=d.get("note", ""), **common)
        elif action == "resume":
            deadline = services.deadline_resume(at=d["at"], **common)
        elif action == "extend":
            approver = _approver(d.get("approver"))
            name = d.get("approver_name", "")
            approval = services.ExtensionApproval(approver=approver, approver_name=name, approved_at=d["approved_at"],
                                                  reference=d.get("reference", ""), reason=d.get("reason", ""))
            deadline = services.deadline_extend(tier=d["tier"], approval=approval if approver or name else None,
                                                **common)
        elif action == "meet":
            deadline = services.deadline_meet(at=d["at"], note=d.get("note", ""), **common)
        else:
            deadline = services.deadline_cancel(reason=d["reason"], **common)
        return Response(DeadlineDetailOutput(selectors.get_deadline_for_user(request.user, deadline.pk)).data)


class AlertFilterInput(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["mine", "units"], required=False)
    level = serializers.ChoiceField(choices=AlertLevel.values, required=False)
    state = serializers.ChoiceField(choices=AlertState.values, required=False)
    unread = serializers.BooleanField(required=False)


class AlertOutput(serializers.ModelSerializer):
    deadline = DeadlineOutput(read_only=True)
    unread = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Alert
        fields = ["id", "level", "severity", "threshold_seconds", "due_at", "raised_at", "state", "unread",
                  "acknowledged_by", "acknowledged_at", "acknowledge_note", "resolved_by", "resolved_at",
                  "resolve_note", "deadline"]


class AlertListApi(APIView):
    @extend_schema(parameters=[AlertFilterInput], responses=AlertOutput(many=True),
                   summary=_("Alerts routed to you (or of your units), newest first"))
    def get(self, request):
        data = AlertFilterInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        f = data.validated_data
        alerts = selectors.alert_list(user=request.user, scope=f.get("scope", "mine"), level=f.get("level"),
                                      state=f.get("state"), unread=f.get("unread", False))
        return paginate(self, request, alerts.select_related("deadline__subject_type"), AlertOutput)


class AlertDetailApi(APIView):
    @extend_schema(responses=AlertOutput, summary=_("One alert (reading it marks it read for you)"))
    def get(self, request, pk: int):
        alert = selectors.get_alert_for_user(request.user, pk)
        services.alert_mark_read(actor=request.user, alert=alert, request=request)
        return Response(AlertOutput(alert).data)


class AlertNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class AlertActionApi(APIView):
    @extend_schema(request=AlertNoteInput, responses=AlertOutput, summary=_("Acknowledge or resolve an alert"))
    def post(self, request, pk: int, action: str):
        alert = selectors.get_alert_for_user(request.user, pk)
        payload = AlertNoteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        service = services.alert_acknowledge if action == "acknowledge" else services.alert_resolve
        return Response(AlertOutput(service(actor=request.user, alert=alert, note=payload.validated_data["note"],
                                            request=request)).data)


class UnreadOutput(serializers.Serializer):
    unread = serializers.IntegerField()


class AlertUnreadApi(APIView):
    @extend_schema(responses=UnreadOutput, summary=_("How many alerts routed to you are unread"))
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})

