"""``/api/v1/users/``: the accounts the caller administers (same scope, rules and services as the pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from .. import selectors, services
from ..accounts.rules import assignable_organisation_q, temporary_password
from ..choices import Role
from ..models import Organisation, User
from .permissions import ActionPermission


class _ScopedOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation id among those the caller may assign (others read as "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        return Organisation.objects.filter(assignable_organisation_q(request.user) if request else Q(pk__in=[]))


class _VersionField(serializers.Field):
    """The account's version token: read it with the account, send it back with a PATCH and a change someone
    else saved in between is refused with 409 instead of being silently undone."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, value):
        return services.account_version(value)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("版本标记应为字符串。")
        return {"expected_version": data}


class UserSerializer(serializers.ModelSerializer):
    organisation = _ScopedOrganisationField(allow_null=True, required=False)
    version = _VersionField(help_text="乐观并发控制：填写读取账号时得到的 version。若账号此后已被他人修改，返回 409；不写入。")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, default=None,
                                              allow_null=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "organisation", "organisation_name", "roles",
                  "is_active", "must_change_password", "last_login", "date_joined", "version"]
        read_only_fields = ["username", "is_active", "must_change_password", "last_login", "date_joined"]

    def validate(self, attrs):
        # Fields the API does not let a caller write are refused by name, not silently dropped (mass assignment).
        unknown = sorted(set(self.initial_data) - {n for n, f in self.fields.items() if not f.read_only})
        if unknown:
            raise serializers.ValidationError({name: ["该字段不能通过此接口修改。"] for name in unknown})
        return attrs


class UserCreateSerializer(UserSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True, style={"input_type": "password"},
                                     help_text="初始密码；省略则生成临时密码，在响应的 temporary_password 中返回一次。")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password"]
        read_only_fields = ["is_active", "must_change_password", "last_login", "date_joined"]


class AccountReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, max_length=200, help_text="原因（可选），记入变更记录")


class ResetPasswordSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[("temporary", "生成临时密码"), ("email", "发送重置邮件")],
                                     default="temporary")


def _reason(request) -> str:
    """The optional ``reason`` of a deactivation (any other body shape counts as none)."""
    data = request.data if isinstance(request.data, dict) else {}
    return str(data.get("reason", ""))[:200]


class UserViewSet(viewsets.ModelViewSet):
    """Accounts in the caller's scope: the city administrator all, a district officer its parks' and
    enterprises' users. Accounts are deactivated, never deleted."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "account.view", "retrieve": "account.view", "create": "account.add",
                          "partial_update": "account.change", "deactivate": "account.deactivate",
                          "reactivate": "account.deactivate", "reset_password": "account.reset_password"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = UserSerializer
    filterset_fields = ["is_active", "organisation"]
    search_fields = ["username", "display_name", "email"]
    ordering_fields = ["username", "last_login", "date_joined"]

    def get_queryset(self):
        return selectors.user_list(user=self.request.user).order_by("username", "id")

    def get_serializer_class(self):
        return UserCreateSerializer if self.action == "create" else UserSerializer

    @staticmethod
    def _invalid(exc: DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return serializers.ValidationError(detail)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        password = d.get("password") or temporary_password()
        try:
            user = services.user_create(actor=request.user, username=d["username"], password=password,
                                        roles=d["roles"], organisation=d.get("organisation"),
                                        display_name=d.get("display_name", ""), email=d.get("email", ""))
        except DjangoValidationError as exc:
            raise self._invalid(exc) from None
        body = UserSerializer(user, context=self.get_serializer_context()).data
        if not d.get("password"):
            body["temporary_password"] = password
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        serializer = self.get_serializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        changes = {k: d[k] for k in ("display_name", "email", "organisation", "roles") if k in d}
        try:
            services.user_update(actor=request.user, user=user, expected_version=d.get("expected_version"),
                                 **changes)
        except DjangoValidationError as exc:
            raise self._invalid(exc) from None
        return Response(UserSerializer(user, context=self.get_serializer_context()).data)

    @extend_schema(request=AccountReasonSerializer, responses=UserSerializer, summary="停用账号（不删除）")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = self.get_object()
        try:
            services.user_deactivate(actor=request.user, user=user, reason=_reason(request))
        except DjangoValidationError as exc:
            raise self._invalid(exc) from None
        return Response(UserSerializer(user, context=self.get_serializer_context()).data)

    @extend_schema(request=AccountReasonSerializer, responses=UserSerializer, summary="重新启用账号")
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = self.get_object()
        services.user_reactivate(actor=request.user, user=user, reason=_reason(request))
        return Response(UserSerializer(user, context=self.get_serializer_context()).data)

    @extend_schema(request=ResetPasswordSerializer, summary="重置密码（临时密码或重置邮件）",
                   responses=inline_serializer("PasswordResetResult", {
                       "method": serializers.CharField(),
                       "temporary_password": serializers.CharField(required=False),
                       "must_change_password": serializers.BooleanField()}))
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        user = self.get_object()
        serializer = ResetPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        by_mail = serializer.validated_data["method"] == "email"
        password = None if by_mail else temporary_password()
        try:
            services.user_reset_password(actor=request.user, user=user, temporary_password=password,
                                         send_email=by_mail, site_url=request.build_absolute_uri("/"))
        except DjangoValidationError as exc:
            raise self._invalid(exc) from None
        body = {"method": serializer.validated_data["method"], "must_change_password": True}
        if password:
            body["temporary_password"] = password
        return Response(body)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(style={"input_type": "password"})
    new_password = serializers.CharField(style={"input_type": "password"}, help_text="须符合密码规则（至少 8 位，不能全是数字等）")


@extend_schema(request=PasswordChangeSerializer, summary="修改本人密码",
               responses=inline_serializer("PasswordChanged", {"message": serializers.CharField()}))
@api_view(["POST"])
@permission_classes([ActionPermission])
def me_password(request):
    """The caller changes their own password: other sessions end, this one and the API token stay valid."""
    serializer = PasswordChangeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        services.user_change_password(actor=request.user, old_password=serializer.validated_data["old_password"],
                                      new_password=serializer.validated_data["new_password"])
    except DjangoValidationError as exc:
        raise UserViewSet._invalid(exc) from None
    if request.auth is None:  # signed in by session: keep this session, end the others
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request._request, request.user)
    return Response({"message": "密码已修改。"})


me_password.cls.permission_actions = {"post": "account.change_own_password"}  # type: ignore[attr-defined]
