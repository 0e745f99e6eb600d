"""REST endpoints of accounts: one view per operation, with its own input and output serializers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casecenter.core.api import paginate

from . import selectors, services
from .models import Unit, User
from .roles import Role


class UnitOutput(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "kind_label", "parent", "is_active"]


class UserOutput(serializers.ModelSerializer):
    unit = UnitOutput()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "unit", "phone", "email", "is_active", "roles", "date_joined"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class MeApi(APIView):
    @extend_schema(responses=UserOutput, summary=_("The signed-in account"))
    def get(self, request):
        return Response(UserOutput(request.user).data)


class UnitListApi(APIView):
    @extend_schema(responses=UnitOutput(many=True), summary=_("Units visible to the caller"))
    def get(self, request):
        return paginate(self, request, selectors.unit_list(user=request.user), UnitOutput)


class UnitDetailApi(APIView):
    @extend_schema(responses=UnitOutput, summary=_("One unit visible to the caller"))
    def get(self, request, pk: int):
        return Response(UnitOutput(get_object_or_404(selectors.unit_list(user=request.user), pk=pk)).data)


class UserCreateInput(serializers.Serializer):
    username = serializers.CharField(max_length=64)
    full_name = serializers.CharField(max_length=64)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    password = serializers.CharField(max_length=256, write_only=True, trim_whitespace=False)
    phone = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)


class UserUpdateInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=64, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                   help_text=_("Why the account is deactivated (with is_active false); recorded"))


class UserListApi(APIView):
    @extend_schema(responses=UserOutput(many=True), summary=_("Accounts (administrators)"))
    def get(self, request):
        return paginate(self, request, selectors.user_list(user=request.user), UserOutput)

    @extend_schema(request=UserCreateInput, responses={201: UserOutput}, summary=_("Create an account"))
    def post(self, request):
        data = UserCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **data.validated_data, request=request)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(APIView):
    def _get(self, request, pk):
        return get_object_or_404(selectors.user_list(user=request.user), pk=pk)

    @extend_schema(responses=UserOutput, summary=_("One account"))
    def get(self, request, pk: int):
        return Response(UserOutput(self._get(request, pk)).data)

    @extend_schema(request=UserUpdateInput, responses=UserOutput, summary=_("Change an account"))
    def patch(self, request, pk: int):
        user = self._get(request, pk)
        data = UserUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        active = fields.pop("is_active", None)
        reason = fields.pop("reason", "")
        user = services.user_update(actor=request.user, user=user, **fields, request=request)
        if active is False:
            user = services.user_deactivate(actor=request.user, user=user, reason=reason, request=request)
        elif active is True and not user.is_active:
            user = services.user_reactivate(actor=request.user, user=user, request=request)
        return Response(UserOutput(user).data)


class RolesInput(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=True)
    expected = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, help_text=_(
            "The roles the caller last saw: when another administrator changed them meanwhile, the call is "
            "refused (409) instead of overwriting that change"))


class UserRolesApi(APIView):
    @extend_schema(request=RolesInput, responses=UserOutput,
                   summary=_("Set an account's roles (security administrator)"))
    def put(self, request, pk: int):
        user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
        data = RolesInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_set_roles(actor=request.user, user=user, roles=data.validated_data["roles"],
                                expected=data.validated_data.get("expected"), request=request)
        user = selectors.user_list(user=request.user).get(pk=pk)
        return Response(UserOutput(user).data)
