"""The accounts pages of both configuration administrators: the list with filters and search and
one account's page (what each administrator may do there is the access matrix's decision); the
system administrator's creation, editing and (de)activation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casecenter.core.errors import ApplicationError, Conflict
from casecenter.core.pages import found, query_without_page

from .. import selectors, services
from ..access import is_allowed
from ..forms.users import AccountFilterForm, ReasonForm, UserCreateForm, UserEditForm
from .common import submit

PAGE_SIZE = 50

@never_cache
@require_GET
def administration_view(request):
    """The administration's front page: what this administrator manages, each with its page."""
    return render(request, "accounts/admin/index.html")


@never_cache
@require_GET
def user_list_view(request):
    form = AccountFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "accounts/admin/user_list.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    accounts = selectors.account_list(user=request.user, query=data["q"], unit=data["unit"], role=data["role"],
                                      state=data["state"])
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/admin/user_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "filtered": any(data.values())})


@never_cache
@require_GET
def user_detail_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    # The tokens are the security administrator's to see and revoke.
    tokens = (selectors.token_admin_list().filter(user=account)
              if is_allowed(request.user, "accounts:admin_token_revoke", "POST") else None)
    return render(request, "accounts/admin/user_detail.html", {
        "account": account, "tokens": tokens,
        "authenticator": getattr(account, "totp_device", None) if account.has_authenticator else None,
    })


@never_cache
@require_http_methods(["GET", "POST"])
def user_create_view(request):
    form = UserCreateForm(request.POST or None, initial={"unit": request.GET.get("unit", "")})
    outcome = submit(request, form, lambda: services.user_create(
        actor=request.user, **form.service_arguments(), request=request))
    if outcome.saved:
        messages.success(request, _("The account {username} was created. The security administrator grants "
                                    "its roles.").format(username=outcome.saved.username))
        return redirect("accounts:user", outcome.saved.pk)
    return render(request, "accounts/admin/user_form.html", {**outcome.context(), "account": None},
                  status=outcome.status)


def _edit_form(account, data=None) -> UserEditForm:
    return UserEditForm(data, initial={
        "full_name": account.full_name, "unit": account.unit_id, "phone": account.phone, "email": account.email,
        "language": account.language, "seen": services.user_version(account)})


@never_cache
@require_http_methods(["GET", "POST"])
def user_edit_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    form = _edit_form(account, request.POST or None)
    outcome = submit(request, form, lambda: services.user_update(
        actor=request.user, user=account, **form.service_arguments(), request=request),
        fresh=lambda: _edit_form(found(selectors.get_account_for_user, request.user, pk)))
    if outcome.saved:
        messages.success(request, _("The account {username} was saved.").format(username=account.username))
        return redirect("accounts:user", account.pk)
    return render(request, "accounts/admin/user_form.html", {**outcome.context(), "account": account},
                  status=outcome.status)


def reason_page(request, account, *, action: str, perform) -> HttpResponse:
    """The confirmation page of a destructive ``action`` on an account, with the reason it records.
    POST: ``perform(reason)`` answers the message to show; the page returns to the account."""
    form = ReasonForm(request.POST or None)
    outcome = submit(request, form, lambda: perform(form.cleaned_data["reason"]))
    if outcome.saved:
        level, message = outcome.saved
        messages.add_message(request, level, message)
        return redirect("accounts:user", account.pk)
    return render(request, "accounts/admin/user_confirm.html", {**outcome.context(), "account": account,
                                                                 "action": action}, status=outcome.status)


@never_cache
@require_http_methods(["GET", "POST"])
def user_deactivate_view(request, pk: int):
    """GET: the consequences and a reason; POST: close the account (its tokens stop working)."""
    account = found(selectors.get_account_for_user, request.user, pk)

    def deactivate(reason: str):
        if not account.is_active:
            raise Conflict(_("The account {username} is already deactivated.").format(username=account.username))
        services.user_deactivate(actor=request.user, user=account, reason=reason, request=request)
        return messages.SUCCESS, _("The account {username} is deactivated.").format(username=account.username)

    return reason_page(request, account, action="deactivate", perform=deactivate)


@require_POST
def user_reactivate_view(request, pk: int):
    account = found(selectors.get_account_for_user, request.user, pk)
    try:
        services.user_reactivate(actor=request.user, user=account, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The account {username} is active again.").format(username=account.username))
    return redirect("accounts:user", account.pk)
