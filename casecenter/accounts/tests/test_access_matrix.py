"""The access matrix covers every URL, and each persona gets exactly what the matrix says."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casecenter.accounts.access import MATRIX, PUBLIC, SIGNED_IN, is_allowed, rule_for
from casecenter.accounts.models import Unit
from casecenter.accounts.roles import Role


def _walk(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or getattr(pattern.callback, "__qualname__", repr(pattern.callback))
            yield f"{namespace}{name}", pattern


def test_every_url_pattern_is_in_the_access_matrix():
    missing = sorted({name for name, _p in _walk(get_resolver()) if rule_for(name) is None})
    assert not missing, f"URL patterns missing from accounts/access.py MATRIX: {missing}"


def test_every_matrix_row_names_a_url_that_exists():
    names = {name for name, _p in _walk(get_resolver())}
    stale = sorted(key for key in MATRIX if not key.endswith(":*") and key not in names)
    assert not stale, f"MATRIX rows without a URL: {stale}"


def test_unnamed_url_patterns_exist_only_inside_a_wildcard_namespace():
    for name, pattern in _walk(get_resolver()):
        if pattern.name is None:
            assert f"{name.rsplit(':', 1)[0]}:*" in MATRIX, f"unnamed URL pattern {pattern.pattern} at {name}"


def test_the_system_administrator_reaches_no_content_or_audit_page():
    for name, rule in MATRIX.items():
        if rule.area in ("content", "audit"):
            for roles in (rule.read, rule.write):
                assert roles not in (PUBLIC, SIGNED_IN), f"{name} is a {rule.area} page open to everyone"
                assert Role.SYSTEM_ADMIN not in (roles or frozenset()), f"system administrator reaches {name}"


def test_only_the_audit_administrator_reaches_audit_pages():
    for name, rule in MATRIX.items():
        if rule.area == "audit":
            assert rule.read == frozenset({Role.AUDIT_ADMIN}), name


def test_the_audit_administrator_has_no_administration_page():
    for name, rule in MATRIX.items():
        if rule.area == "admin":
            assert Role.AUDIT_ADMIN not in rule.read, name


def test_unknown_view_names_are_refused():
    assert rule_for("nowhere:page") is None
    assert not is_allowed(None, "nowhere:page")


# --- every persona against every endpoint ---------------------------------------------------------

PERSONAS = ["officer1", "duty", "reviewer", "head", "chief", "custodian", "supervisor", "analyst", "outsider",
            "sysadmin", "secadmin", "auditadmin", "lawyer", "procurator", "judge"]


def _endpoints(personas):
    """(view name, URL, method, body) for every matrix row: the URL resolved with sample arguments."""
    officer = personas["officer1"]
    own_unit = Unit.objects.get(code="EAST-STATION1")
    args = {
        "accounts:token_revoke": [999999],
        "api:unit-detail": [own_unit.pk],
        "api:user-detail": [officer.pk],
        "api:user-roles": [officer.pk],
        **{name: [officer.pk] for name in (
            "accounts:user", "accounts:user_edit", "accounts:user_deactivate", "accounts:user_reactivate",
            "accounts:user_roles", "accounts:user_totp_reset", "accounts:user_unlock")},
        **{name: [own_unit.pk] for name in (
            "accounts:unit_edit", "accounts:unit_deactivate", "accounts:unit_reactivate")},
        "accounts:admin_token_revoke": [999999],
        "ledger:event": [999999],
        "ledger:event_proof": [999999],
        "api:ledger-event-proof": [999999],
        "law:law": ["cpl"],
        "law:version": ["cpl", "2018-10-26"],
        "law:article": ["cpl", "2018-10-26", "67"],
        "api:law-detail": ["cpl"],
        "api:law-article": ["cpl", "2018-10-26", "67"],
        "api:calendar-year": [2026],
        "api:calendar-day": [2026, "2026-10-01"],
        "jobs:progress": ["00000000-0000-4000-8000-000000000000"],
        "jobs:progress_page": ["00000000-0000-4000-8000-000000000000"],
        "api:progress-detail": ["00000000-0000-4000-8000-000000000000"],
        "deadlines:detail": [999999],
        "deadlines:action": [999999, "cancel"],
        "deadlines:alert": [999999],
        "deadlines:alert_note": [999999, "acknowledge"],
        "api:deadline-detail": [999999],
        "api:deadline-action": [999999, "cancel"],
        "api:alert-detail": [999999],
        "api:alert-action": [999999, "acknowledge"],
        "cases:detail": [999999], "cases:acceptance_record": [999999], "cases:transition": [999999, "accepted"],
        "cases:party_add": [999999], "cases:party_remove": [999999, 1], "cases:measure_start": [999999],
        "cases:measure_action": [999999, 1, "end"], "cases:person_panel": [999999], "api:case-detail": [999999],
        "api:case-transition": [999999, "accepted"], "api:case-party-add": [999999],
        "api:case-party-remove": [999999, 1], "api:case-measure-start": [999999],
        "api:case-measure-action": [999999, 1, "end"],
        "cases:transfer_delivered": [999999], "api:case-transfer-delivered": [999999],
        "people:detail": [999999], "people:update": [999999], "people:merge": [999999],
        "people:unmerge": [999999], "api:person-detail": [999999], "api:person-merge": [999999],
        "api:person-unmerge": [999999], "people:document_add": [999999], "api:person-document-add": [999999],
        "people:photo": [999999], "people:photo_remove": [999999], "api:person-photo": [999999],
        "api:person-photo-remove": [999999],
    }
    samples = [
        ("admin:index", "GET"), ("admin:deadlines_calendaryear_changelist", "GET"),
        ("admin:cases_casecause_changelist", "GET"), ("admin:search_term_changelist", "GET"),
    ]
    rows = [(name, "GET") for name in MATRIX if not name.startswith("admin:")] + samples
    writes = {"api:user-list": "POST", "api:user-detail": "PATCH", "api:user-roles": "PUT",
              "accounts:token_create": "POST", "accounts:token_revoke": "POST", "search:reindex": "POST",
              "api:calendar-list": "POST", "deadlines:action": "POST", "deadlines:alert_note": "POST",
              "api:deadline-action": "POST", "api:alert-action": "POST",
              "cases:transition": "POST", "api:case-transition": "POST", "api:case-list": "POST",
              "api:case-batch-intake": "POST",
              "people:create": "POST", "api:person-list": "POST", "people:merge": "POST",
              "api:person-merge": "POST", "cases:transfer_delivered": "POST",
              "people:photo": "POST", "api:person-photo": "POST", "people:photo_remove": "POST",
              "api:person-photo-remove": "POST",
              "api:case-transfer-delivered": "POST",
              # The administration's writes with an empty form: refused, or answered 400 field by field.
              "accounts:unit_create": "POST", "accounts:unit_edit": "POST", "accounts:unit_reactivate": "POST",
              "accounts:user_create": "POST", "accounts:user_edit": "POST", "accounts:user_deactivate": "POST",
              "accounts:user_roles": "POST", "accounts:user_totp_reset": "POST", "accounts:user_unlock": "POST",
              "accounts:admin_token_revoke": "POST"}
    rows += list(writes.items())
    for name, method in rows:
        yield name, reverse(name, args=args.get(name, [])), method


@pytest.mark.django_db
def test_each_persona_gets_what_the_matrix_says(personas, login_as):
    failures = []
    for username in PERSONAS:
        client = login_as(username)
        user = personas[username]
        for name, url, method in _endpoints(personas):
            call = getattr(client, method.lower())
            response = call(url, data={}, content_type="application/json") if method != "GET" else call(url)
            allowed = is_allowed(user, name, method)
            if allowed and response.status_code == 403:
                failures.append(f"{username} refused {method} {name} ({url}) but the matrix allows it")
            if not allowed and response.status_code != 403:
                failures.append(f"{username} got {response.status_code} on {method} {name} ({url}); expected 403")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_visitors_reach_only_public_pages(personas, client):
    for name, url, method in _endpoints(personas):
        response = client.generic(method, url)
        if MATRIX.get(name) and MATRIX[name].roles_for(method) == PUBLIC:
            assert response.status_code not in (401, 403), name
        elif name.startswith("api:"):
            assert response.status_code in (401, 403), name
        else:
            assert response.status_code in (302, 403, 405), (name, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.django_db
def test_objects_outside_the_callers_units_are_not_found(personas, login_as):
    west = Unit.objects.get(code="WEST-STATION1")
    response = login_as("officer1").get(reverse("api:unit-detail", args=[west.pk]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
