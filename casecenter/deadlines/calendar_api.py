"""REST endpoints of the calendar: read by every signed-in account, written by the system
administrator (the access matrix rows ``api:calendar-*``). Writes go through services.calendar."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.errors import NotFound

from .models import CalendarYear, DayKind
from .services import calendar as calendar_services

NOT_ENTERED = OpenApiResponse(description=gettext_lazy("The year is not entered (or the day is not listed)"))


class CalendarDayOutput(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    name = serializers.CharField()


class CalendarYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    source = serializers.CharField()
    entered_at = serializers.DateTimeField()
    days = CalendarDayOutput(many=True, source="days.all")


class CalendarListOutput(serializers.Serializer):
    years = CalendarYearOutput(many=True)
    missing = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Years between the first entered one and next year that are not entered: computations that reach "
        "into them report a warning"))


class CalendarListInput(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)


class CalendarDayInput(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class CalendarYearInput(serializers.Serializer):
    source = serializers.CharField(max_length=200, help_text=gettext_lazy("The State Council notice"))
    days = CalendarDayInput(many=True)


class CalendarYearCreateInput(CalendarYearInput):
    year = serializers.IntegerField(min_value=1, max_value=9999)


def _years():
    return CalendarYear.objects.prefetch_related("days")


def missing_years(entered: list[int]) -> list[int]:
    from casecenter.core import clock

    if not entered:
        return [clock.now().year]
    last = max(max(entered), clock.now().year + 1)
    return [y for y in range(min(entered), last + 1) if y not in entered]


class CalendarListApi(APIView):
    @extend_schema(parameters=[CalendarListInput], responses=CalendarListOutput, operation_id="calendar_list",
                   summary=gettext_lazy("Public holidays and make-up working days, by year"))
    def get(self, request):
        query = CalendarListInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        years = _years()
        entered = list(CalendarYear.objects.values_list("year", flat=True))
        if "year" in query.validated_data:
            years = years.filter(year=query.validated_data["year"])
        return Response({"years": CalendarYearOutput(years, many=True).data, "missing": missing_years(entered)})

    @extend_schema(request=CalendarYearCreateInput, responses={201: CalendarYearOutput},
                   operation_id="calendar_year_enter", summary=gettext_lazy("Enter a year (system administrator)"))
    def post(self, request):
        data = CalendarYearCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = calendar_services.calendar_year_save(actor=request.user, request=request, **data.validated_data)
        return Response(CalendarYearOutput(_years().get(pk=entry.pk)).data, status=status.HTTP_201_CREATED)


def _get_year(year: int) -> CalendarYear:
    entry = _years().filter(year=year).first()
    if entry is None:
        raise NotFound(_("The holidays of {year} are not entered.").format(year=year))
    return entry


class CalendarYearApi(APIView):
    @extend_schema(responses={200: CalendarYearOutput, 404: NOT_ENTERED}, operation_id="calendar_year",
                   summary=gettext_lazy("One year's public holidays and make-up working days"))
    def get(self, request, year: int):
        return Response(CalendarYearOutput(_get_year(year)).data)

    @extend_schema(request=CalendarYearInput, responses={200: CalendarYearOutput}, operation_id="calendar_year_replace",
                   summary=gettext_lazy("Enter or replace a year's days (system administrator)"))
    def put(self, request, year: int):
        data = CalendarYearInput(data=request.data)
        data.is_valid(raise_exception=True)
        replace = CalendarYear.objects.filter(year=year).exists()
        calendar_services.calendar_year_save(actor=request.user, request=request, year=year, replace=replace,
                                             **data.validated_data)
        return Response(CalendarYearOutput(_get_year(year)).data)


class CalendarDayApi(APIView):
    @extend_schema(responses={204: None, 404: NOT_ENTERED}, operation_id="calendar_day_remove",
                   summary=gettext_lazy("Remove one listed day (system administrator)"))
    def delete(self, request, year: int, day):
        calendar_services.calendar_day_remove(actor=request.user, year=year, day=day, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
