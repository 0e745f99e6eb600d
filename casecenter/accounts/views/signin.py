"""Sign-in (password, then the second factor or its enrolment), sign-out and the profile page."""

from __future__ import annotations

import io
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casecenter.core.errors import ApplicationError

from .. import selectors, services
from ..access import is_allowed
from ..credentials import second_factor_required, totp_new_secret, totp_provisioning_uri
from ..forms import CodeForm, LoginForm, PasswordChangeForm, TokenForm
from ..models import ApiToken, User

PENDING = "pending_login"
PENDING_SECONDS = 300  # the second step must follow the password within five minutes


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("web:home")


def _pending_user(request) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.GET.get("next")))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_check(request=request, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
            if not second_factor_required(user):
                services.login_complete(request=request, user=user)
                return redirect(next_url)
            request.session.cycle_key()
            request.session[PENDING] = {"user_id": user.pk, "at": time.time(), "next": next_url}
            step = "accounts:login_otp" if hasattr(user, "totp_device") else "accounts:login_enrol"
            return redirect(step)
    conf = settings.CASECENTER
    return render(request, "accounts/login.html", {
        "form": form, "next": request.GET.get("next", ""),
        "lockout_threshold": conf["LOCKOUT_THRESHOLD"], "lockout_minutes": max(1, conf["LOCKOUT_SECONDS"] // 60),
    })


@never_cache
def login_otp_view(request):
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Enter your username and password first."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_check(user=user, code=form.cleaned_data["code"], request=request)
        except ApplicationError as exc:
            form.add_error("code" if exc.fields else None, exc.message)
            if User.objects.get(pk=user.pk).is_locked():
                request.session.pop(PENDING, None)
                messages.error(request, exc.message)
                return redirect("accounts:login")
        else:
            next_url = request.session.pop(PENDING)["next"]
            services.login_complete(request=request, user=user)
            return redirect(next_url)
    return render(request, "accounts/login_otp.html", {"form": form, "pending_user": user})


@never_cache
def login_enrol_view(request):
    """First sign-in of an internal account: enrol an authenticator app before the session opens."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Enter your username and password first."))
        return redirect("accounts:login")
    secret = request.session.setdefault("enrol_secret", totp_new_secret())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm_enrolment(user=user, secret=secret, code=form.cleaned_data["code"], request=request)
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop("enrol_secret", None)
            next_url = request.session.pop(PENDING)["next"]
            services.login_complete(request=request, user=user)
            messages.success(request, _("Your authenticator is enrolled. "
                                        "You will be asked for a code at each sign-in."))
            return redirect(next_url)
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/login_enrol.html", {"form": form, "pending_user": user, "secret": grouped})


@never_cache
def login_enrol_qr_view(request):
    """The enrolment QR code as SVG, drawn on the server: no image service, no network."""
    user = _pending_user(request)
    secret = request.session.get("enrol_secret")
    if user is None or not secret:
        return HttpResponse(status=404)
    qr = segno.make(totp_provisioning_uri(user, secret), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=5, border=2, dark="#1f2933")  # a standalone SVG, with its xmlns
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_POST
def logout_view(request):
    services.logout_complete(request=request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


def profile_view(request):
    tokens = list(selectors.token_list(user=request.user))
    return render(request, "accounts/profile.html", {
        "tokens": tokens,
        "token_form": TokenForm(),
        "new_key": request.session.pop("new_token_key", None),
        # Tokens are offered to the roles with API use (access.py API_USERS); a token made before a
        # change of roles is still listed, to be revoked.
        "api_user": is_allowed(request.user, "accounts:token_create", "POST"),
        "token_days": settings.CASECENTER["API_TOKEN_DAYS"],
    })


@require_POST
def token_create_view(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                                request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            # Shown once, on the next page only; the database keeps only its hash.
            request.session["new_token_key"] = key
    else:
        messages.error(request, _("Give the token a name, such as the program that will use it."))
    return redirect("accounts:profile")


@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        services.token_revoke(actor=request.user, token=token, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token “{name}” is revoked.").format(name=token.name))
    return redirect("accounts:profile")


def password_change_view(request):
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=request.user,
                                       password=form.cleaned_data["new_password"], request=request)
        except ApplicationError as exc:
            form.add_error("new_password", exc.message)
        else:
            from django.contrib.auth import update_session_auth_hash

            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})
