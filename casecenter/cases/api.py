"""REST endpoints of cases: intake and the list, one case, its transitions, parties and measures.
One view per operation with its input and output serializers; every write calls one service and
every refusal comes back in the project's one error shape, naming the field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.accounts.models import Unit, User
from casecenter.core.api import paginate
from casecenter.core.errors import NotFound, ValidationFailed
from casecenter.deadlines.api import DeadlineOutput
from casecenter.people.models import Person

from . import selectors
from .models import (
    BailForm,
    CaseCause,
    CaseKind,
    CaseSource,
    CaseStatus,
    MeasureKind,
    PartyRole,
)
from .operations import measure_call, transition_kwargs
from .services import cases as case_services
from .services import intake as intake_services
from .services import parties as party_services


class UsernameField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


class CaseFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    cause = serializers.CharField(max_length=32, required=False, help_text=_("Cause code"))
    unit = serializers.IntegerField(required=False)
    officer = serializers.CharField(max_length=150, required=False, help_text=_("Username"))
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    number = serializers.CharField(max_length=64, required=False)


#: The officer filter's word for the signed-in user.
ME = "me"


def list_filters(user, data: dict) -> dict:
    """The selector's arguments from validated filter input (shared with the HTML list)."""
    out = {k: data.get(k) for k in ("status", "kind", "received_from", "received_to", "number") if data.get(k)}
    if data.get("cause"):
        out["cause"] = CaseCause.objects.filter(code=data["cause"]).first() or -1
    if data.get("unit"):
        out["unit"] = data["unit"]
    if data.get("officer") == ME:
        out["officer"] = user  # ``?officer=me``: the home page's "my cases" links here
    elif data.get("officer"):
        out["officer"] = User.objects.filter(username=data["officer"]).first() or -1
    return out


class CaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    cause = serializers.CharField(source="cause.code")
    cause_name = serializers.CharField(source="cause.name")
    summary = serializers.CharField()
    source = serializers.CharField()
    received_at = serializers.DateTimeField()
    unit = serializers.IntegerField(source="unit_id")
    officers = serializers.SerializerMethodField()
    status = serializers.CharField()

    def get_officers(self, case) -> list[str]:
        return [o.username for o in case.officers.all()]


class PartyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    role = serializers.CharField()
    reason = serializers.CharField()
    added_at = serializers.DateTimeField()
    removed_at = serializers.DateTimeField(allow_null=True)
    removal_reason = serializers.CharField()


class MeasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    kind = serializers.CharField()
    status = serializers.CharField()
    basis = serializers.CharField()
    started_at = serializers.DateTimeField()
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()
    converted_from = serializers.IntegerField(source="converted_from_id", allow_null=True)
    deadlines = DeadlineOutput(many=True, required=False)


class CaseDetailOutput(CaseOutput):
    parties = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    """A case with its officers, parties, measures and clocks: from ``case.detail`` (a
    ``selectors.CaseDetail``) when the view has it, else read here once."""

    def _detail(self, case) -> selectors.CaseDetail:
        if getattr(case, "detail", None) is None:
            case.detail = selectors.case_detail(case)
        return case.detail

    def get_officers(self, case) -> list[str]:
        return [o.username for o in self._detail(case).officers]

    @extend_schema(responses=PartyOutput(many=True))
    def get_parties(self, case) -> list:
        return PartyOutput(self._detail(case).parties, many=True).data

    @extend_schema(responses=MeasureOutput(many=True))
    def get_measures(self, case) -> list:
        return MeasureOutput(self._detail(case).measures, many=True).data

    @extend_schema(responses=DeadlineOutput(many=True))
    def get_deadlines(self, case) -> list:
        return DeadlineOutput(self._detail(case).deadlines, many=True).data


class ReportInput(serializers.Serializer):
    """One report. Its cause, unit and officers are named by code, id and username, and looked up
    for the whole request at once (:func:`_reports`)."""

    kind = serializers.ChoiceField(choices=CaseKind.choices)
    cause = serializers.CharField(max_length=32, help_text=_("Cause code"))
    summary = serializers.CharField(max_length=5000)
    source = serializers.ChoiceField(choices=CaseSource.choices)
    received_at = serializers.DateTimeField()
    unit = serializers.IntegerField(help_text=_("Unit id"))
    officers = serializers.ListField(child=serializers.CharField(max_length=150), min_length=1,
                                     help_text=_("Usernames of the handling officers"))
    reporter_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    reporter_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    report_content = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class BatchIntakeInput(serializers.Serializer):
    reports = ReportInput(many=True, allow_empty=False, max_length=intake_services.MAX_REPORTS)


class IntakeResultOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    deadlines = DeadlineOutput(many=True, source="started_deadlines")


class BatchIntakeOutput(serializers.Serializer):
    cases = IntakeResultOutput(many=True)


def _reports(items: list[dict], *, field=lambda n, name: name) -> list[intake_services.Report]:
    """The reports of validated input: their causes, units and officers (with units and roles, which
    the service checks) read in four queries however many there are. An unknown code, id or
    username is refused naming its field (``field(n, name)`` for the n-th report)."""
    causes = {c.code: c for c in CaseCause.objects.filter(active=True, code__in={i["cause"] for i in items})}
    units = Unit.objects.in_bulk({i["unit"] for i in items})
    accounts = User.objects.filter(is_active=True, username__in={u for i in items for u in i["officers"]})
    found = {u.username: u for u in User.load_roles(accounts.select_related("unit"))}
    errors: dict[str, list[str]] = {}
    for n, item in enumerate(items):
        if item["cause"] not in causes:
            errors[field(n, "cause")] = [_("No active cause has the code {code}.").format(code=item["cause"])]
        if item["unit"] not in units:
            errors[field(n, "unit")] = [_("No unit has the id {id}.").format(id=item["unit"])]
        unknown = [name for name in item["officers"] if name not in found]
        if unknown:
            errors[field(n, "officers")] = [_("No active account with the username {names}.").format(
                names="、".join(unknown))]
    if errors:
        raise ValidationFailed(_("The input is not valid."), fields=errors)
    return [intake_services.Report(**{**item, "cause": causes[item["cause"]], "unit": units[item["unit"]],
                                      "officers": [found[name] for name in item["officers"]]})
            for item in items]


class CaseListApi(APIView):
    @extend_schema(parameters=[CaseFilterInput], responses=CaseOutput(many=True),
                   summary=_("Cases of the units you see, newest first"))
    def get(self, request):
        data = CaseFilterInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        cases = selectors.case_list(user=request.user, **list_filters(request.user, data.validated_data))
        return paginate(self, request, cases, CaseOutput)

    @extend_schema(request=ReportInput, responses={201: CaseDetailOutput},
                   summary=_("Register a report: the case, its acceptance record and its review clock"))
    def post(self, request):
        payload = ReportInput(data=request.data)
        payload.is_valid(raise_exception=True)
        [report] = _reports([payload.validated_data])
        case = intake_services.case_intake(actor=request.user, request=request, **vars(report))
        # The new case as the service wrote it (visible to the actor: it is in a unit they see),
        # without reading it back: no parties or measures yet, the clocks intake started.
        case.detail = selectors.CaseDetail(officers=sorted(report.officers, key=lambda o: o.username),
                                           parties=[], measures=[], deadlines=case.started_deadlines)
        return Response(CaseDetailOutput(case).data, status=status.HTTP_201_CREATED)


class CaseBatchIntakeApi(APIView):
    @extend_schema(request=BatchIntakeInput, responses={201: BatchIntakeOutput},
                   summary=_("Register up to 100 reports at once (a dispatch system's feed): all of them or none"))
    def post(self, request):
        payload = BatchIntakeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        reports = _reports(payload.validated_data["reports"], field=lambda n, name: f"reports.{n}.{name}")
        cases = intake_services.case_intake_many(actor=request.user, reports=reports, request=request)
        return Response(BatchIntakeOutput({"cases": cases}).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOutput, summary=_("One case with its parties, measures and clocks"))
    def get(self, request, pk: int):
        return Response(CaseDetailOutput(selectors.get_case_for_user(request.user, pk)).data)


class TransitionInput(serializers.Serializer):
    at = serializers.DateTimeField(help_text=_("When it was decided or done"))
    decided_by = UsernameField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    receiving_organ = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseTransitionApi(APIView):
    @extend_schema(request=TransitionInput, responses=CaseDetailOutput, operation_id="cases_transition",
                   summary=_("Move a case on: accept, file, refuse, transfer, investigate, close, archive"))
    def post(self, request, pk: int, to: str):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        payload = TransitionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        service = case_services.transition_service(to)
        service(actor=request.user, case=case, request=request, **transition_kwargs(to, payload.validated_data))
        return Response(CaseDetailOutput(selectors.get_case_for_user(request.user, pk)).data)


class TransferDeliveredInput(serializers.Serializer):
    at = serializers.DateTimeField(help_text=_("When the case was handed over to the receiving organ"))
    receipt = serializers.CharField(max_length=200, allow_blank=True,
                                    help_text=_("The receiving organ's receipt: its number or who signed for it"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TransferDeliveredApi(APIView):
    @extend_schema(request=TransferDeliveredInput, responses=CaseDetailOutput,
                   summary=_("Record the handover of a transferred case (meets its 24-hour transfer clock)"))
    def post(self, request, pk: int):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        payload = TransferDeliveredInput(data=request.data)
        payload.is_valid(raise_exception=True)
        case_services.case_transfer_delivered(actor=request.user, case=case, request=request,
                                              **payload.validated_data)
        return Response(CaseDetailOutput(selectors.get_case_for_user(request.user, pk)).data)


class PartyInput(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PartyAddApi(APIView):
    @extend_schema(request=PartyInput, responses={201: PartyOutput}, summary=_("Add a person to a case in a role"))
    def post(self, request, pk: int):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        payload = PartyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        party = party_services.party_add(actor=request.user, case=case, request=request, **payload.validated_data)
        return Response(PartyOutput(party).data, status=status.HTTP_201_CREATED)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class PartyRemoveApi(APIView):
    @extend_schema(request=ReasonInput, responses=PartyOutput, summary=_("Remove a party, with the reason"))
    def post(self, request, pk: int, party: int):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        found = case.parties.filter(pk=party).first()
        if found is None:
            raise NotFound(str(_("No such party.")))
        payload = ReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(PartyOutput(party_services.party_remove(
            actor=request.user, party=found, reason=payload.validated_data["reason"], request=request)).data)


class MeasureInput(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=MeasureKind.choices, required=False)
    started_at = serializers.DateTimeField(required=False, help_text=_("Start (or, converting, the new start)"))
    basis = serializers.CharField(max_length=500, required=False, allow_blank=True)
    decided_by = UsernameField(required=False, allow_null=True)
    bail_form = serializers.ChoiceField(choices=BailForm.choices, required=False, allow_blank=True)
    deposit_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    guarantor_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    REQUIRED = {"start": ("person", "kind", "started_at"), "convert": ("kind", "started_at"),
                "end": ("started_at",), "approve": (), "refuse": ()}

    def check_required(self, action: str) -> dict:
        data = self.validated_data
        missing = {name: [str(_("This field is required."))] for name in self.REQUIRED[action] if name not in data}
        if missing:
            raise ValidationFailed(str(_("The input is not valid.")), fields=missing)
        return data


class MeasureStartApi(APIView):
    @extend_schema(request=MeasureInput, responses={201: MeasureOutput},
                   summary=_("Start a coercive measure on a suspect of the case"))
    def post(self, request, pk: int):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        payload = MeasureInput(data=request.data)
        payload.is_valid(raise_exception=True)
        measure = measure_call("start", actor=request.user, case=case, measure=None,
                               d=payload.check_required("start"), request=request)
        return Response(MeasureOutput(measure).data, status=status.HTTP_201_CREATED)


class MeasureActionApi(APIView):
    @extend_schema(request=MeasureInput, responses=MeasureOutput, operation_id="cases_measures_action",
                   summary=_("Approve, refuse, end or convert a measure (convert returns the new one)"))
    def post(self, request, pk: int, measure: int, action: str):
        case = selectors.get_case_for_user(request.user, pk, write=True)
        found = case.measures.filter(pk=measure).first()
        if found is None:
            raise NotFound(str(_("No such measure.")))
        payload = MeasureInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = measure_call(action, actor=request.user, case=case, measure=found,
                              d=payload.check_required(action), request=request)
        return Response(MeasureOutput(result).data)


class CauseOutput(serializers.ModelSerializer):
    class Meta:
        model = CaseCause
        fields = ["code", "name", "kind", "active"]


class CauseListApi(APIView):
    @extend_schema(responses=CauseOutput(many=True), summary=_("The catalogue of case causes"))
    def get(self, request):
        return paginate(self, request, CaseCause.objects.filter(active=True), CauseOutput)

