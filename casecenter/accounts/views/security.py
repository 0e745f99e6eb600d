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
from ..forms.users import RolesForm, TokenFilterForm
from .common import status_for, submit
from .users import reason_page

PAGE_SIZE = 50


def _roles_form(account, data=None) -> RolesForm:
    roles = sorted(account.roles)
    return RolesForm(data, initial={"roles": roles, "expected": ",".join(roles)})


@never_cache
@require_http_methods(["GET", "POST"])
def user_roles_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    form = _roles_form(account, request.POST or None)
    outcome = submit(request, form, lambda: services.user_set_roles(
        actor=request.user, user=account, roles=form.cleaned_data["roles"], expected=form.expected_roles(),
        request=request), fresh=lambda: _roles_form(found(selectors.get_account_for_user, request.user, pk)))
    if outcome.saved:
        granted, revoked = outcome.saved
        if granted or revoked:
            messages.success(request, _("The roles of {username} were saved.").format(username=account.username))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("accounts:user", account.pk)
    return render(request, "accounts/admin/user_roles.html", {**outcome.context(), "account": account},
                  status=outcome.status)


@never_cache
@require_http_methods(["GET", "POST"])
def user_totp_reset_view(request, pk: int):
    """GET: what a reset does, and the reason asked; POST: remove the authenticator."""
    account = found(selectors.get_account_for_user, request.user, pk)

    def reset(reason: str):
        if services.totp_reset(actor=request.user, user=account, reason=reason, request=request):
            return messages.SUCCESS, _("The authenticator of {username} was removed. At the next sign-in they "
                                       "enrol a new one.").format(username=account.username)
        return messages.INFO, _("{username} has no authenticator enrolled (another administrator may have reset "
                                "it already).").format(username=account.username)

    return reason_page(request, account, action="totp_reset", perform=reset)


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
