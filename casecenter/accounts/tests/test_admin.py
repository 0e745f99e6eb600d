"""The administration pages keep the three administrators' duties apart."""

import pytest
from django.urls import reverse

from casecenter.accounts.models import User


@pytest.mark.django_db
class TestAdminSeparation:
    def test_the_admin_has_no_login_page_of_its_own(self, client, personas):
        response = client.get(reverse("admin:login"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    def test_the_system_administrator_edits_an_account_but_not_its_roles(self, login_as, personas):
        officer = personas["officer2"]
        url = reverse("admin:accounts_user_change", args=[officer.pk])
        client = login_as("sysadmin")
        form = client.get(url).content.decode()
        assert 'name="full_name"' in form and 'name="roles"' not in form
        response = client.post(url, {"full_name": "李红梅改", "unit": officer.unit_id, "phone": "", "email": "",
                                     "is_active": "on", "roles": ["county_chief"]})
        assert response.status_code == 302, response.content.decode()[:2000]
        officer = User.objects.get(pk=officer.pk)
        assert officer.full_name == "李红梅改" and officer.roles == {"case_officer"}

    def test_the_security_administrator_grants_roles_but_cannot_edit_details(self, login_as, personas):
        officer = personas["officer2"]
        url = reverse("admin:accounts_user_change", args=[officer.pk])
        client = login_as("secadmin")
        form = client.get(url).content.decode()
        assert 'name="roles"' in form and 'name="full_name"' not in form
        response = client.post(url, {"roles": ["case_officer", "analyst"], "full_name": "改名"})
        assert response.status_code == 302, response.content.decode()[:2000]
        officer = User.objects.get(pk=officer.pk)
        assert officer.roles == {"case_officer", "analyst"} and officer.full_name == "李红梅"

    def test_the_system_administrator_creates_an_account(self, login_as, personas):
        response = login_as("sysadmin").post(reverse("admin:accounts_user_add"), {
            "username": "officer7", "full_name": "新民警", "unit": personas["officer1"].unit_id,
            "phone": "", "email": "", "password": "a long enough passphrase"})
        assert response.status_code == 302
        assert User.objects.get(username="officer7").check_password("a long enough passphrase")

    def test_a_common_password_in_the_admin_form_is_refused_without_a_500(self, login_as, personas):
        response = login_as("sysadmin").post(reverse("admin:accounts_user_add"), {
            "username": "officer7", "full_name": "新民警", "unit": personas["officer1"].unit_id,
            "phone": "", "email": "", "password": "password"})
        assert response.status_code == 200
        assert not User.objects.filter(username="officer7").exists()

    @pytest.mark.parametrize("username", ["auditadmin", "officer1", "chief", "lawyer"])
    def test_others_are_refused_the_admin(self, login_as, username):
        assert login_as(username).get(reverse("admin:index")).status_code == 403

    def test_moving_a_unit_under_its_own_subtree_is_a_form_error(self, login_as, personas):
        from casecenter.accounts.models import Unit

        east, cid = Unit.objects.get(code="EAST"), Unit.objects.get(code="EAST-CID")
        response = login_as("sysadmin").post(reverse("admin:accounts_unit_change", args=[east.pk]), {
            "name": east.name, "kind": east.kind, "parent": cid.pk, "is_active": "on"})
        assert response.status_code == 200
        assert Unit.objects.get(pk=east.pk).parent_id == east.parent_id
