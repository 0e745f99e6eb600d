"""The security administrator's pages: an account's roles, resetting a lost authenticator,
lifting a lockout, and every account's API tokens with their revocation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casecenter.core.errors import ApplicationError
from casecenter.core.pages import found, query_without_page

from .. import selectors, services
from ..forms.users import ReasonForm, RolesForm, TokenFilterForm
from .common import status_for

PAGE_SIZE = 50


def _roles_initial(account) -> dict:
    roles = sorted(account.roles)
    return {"roles": roles, "expected": ",".join(roles)}


@never_cache
@require_http_methods(["GET", "POST"])
def user_roles_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    form = RolesForm(request.POST or None, initial=_roles_initial(account))
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                granted, revoked = services.user_set_roles(
                    actor=request.user, user=account, roles=form.cleaned_data["roles"],
                    expected=form.expected_roles(), request=request)
            except ApplicationError as error:
                status = status_for(error)
                if status == 409:   # the roles as they are now, after the other administrator's change
                    account = found(selectors.get_account_for_user, request.user, pk)
                    form = RolesForm(initial=_roles_initial(account))
                    conflict = error.message
                else:
                    form.add_service_error(error)
            else:
                if granted or revoked:
                    messages.success(request, _("The roles of {username} were saved.").format(
                        username=account.username))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("accounts:user", account.pk)
        else:
            status = 400
    return render(request, "accounts/admin/user_roles.html", {"account": account, "form": form, "conflict": conflict},
                  status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def user_totp_reset_view(request, pk: int):
    """GET: what a reset does, and the reason asked; POST: remove the authenticator."""
    account = found(selectors.get_account_for_user, request.user, pk)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reset = services.totp_reset(actor=request.user, user=account, reason=form.cleaned_data["reason"],
                                            request=request)
            except ApplicationError as error:
                form.add_service_error(error)
                status = status_for(error)
            else:
                if reset:
                    messages.success(request, _("The authenticator of {username} was removed. At the next sign-in "
                                                "they enrol a new one.").format(username=account.username))
                else:
                    messages.info(request, _("{username} has no authenticator enrolled (another administrator may "
                                             "have reset it already).").format(username=account.username))
                return redirect("accounts:user", account.pk)
        else:
            status = 400
    return render(request, "accounts/admin/user_confirm.html", {
        "account": account, "form": form, "action": "totp_reset"}, status=status)


@require_POST
def user_unlock_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    try:
        services.user_unlock(actor=request.user, user=account, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The account {username} is unlocked.").format(username=account.username))
    return redirect("accounts:user", account.pk)


@never_cache
@require_GET
def token_list_view(request):
    form = TokenFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "accounts/admin/token_list.html", {"form": form, "page": None}, status=400)
    tokens = selectors.token_admin_list(query=form.cleaned_data["q"], state=form.cleaned_data["state"])
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/admin/token_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "filtered": any(form.cleaned_data.values()), "horizon": selectors.token_warning_horizon(),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def admin_token_revoke_view(request, pk: int):
    """GET: the token and its owner, to confirm; POST: revoke it (a lost laptop, a leaked key)."""
    token = found(selectors.get_token, pk)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.token_revoke(actor=request.user, token=token, request=request)
        except ApplicationError as refused:
            error, status = refused.message, status_for(refused)
        else:
            messages.success(request, _("The token “{name}” of {username} is revoked.").format(
                name=token.name, username=token.user.username))
            if request.POST.get("next") == "account":
                return redirect("accounts:user", token.user_id)
            return redirect("accounts:tokens")
    return render(request, "accounts/admin/token_revoke.html", {"token": token, "error": error,
                                                                 "next": request.GET.get("next", "")}, status=status)
