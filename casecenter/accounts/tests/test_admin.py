"""The Django admin keeps only the catalogues; units, accounts, roles and tokens are not in it."""

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.mark.django_db
class TestDjangoAdmin:
    def test_the_admin_has_no_login_page_of_its_own(self, client, personas):
        response = client.get(reverse("admin:login"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    @pytest.mark.parametrize("model", ["unit", "user", "apitoken", "rolegrant"])
    def test_units_accounts_and_tokens_are_not_in_the_admin(self, model):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:accounts_{model}_changelist")

    def test_the_admin_offers_the_catalogues_and_a_way_back(self, login_as):
        page = login_as("sysadmin").get(reverse("admin:index")).content.decode()
        for name in ("cases_casecause", "deadlines_calendaryear", "search_term"):
            assert reverse(f"admin:{name}_changelist") in page
        assert "/admin/accounts/" not in page

    @pytest.mark.parametrize("username", ["auditadmin", "officer1", "chief", "lawyer"])
    def test_others_are_refused_the_admin(self, login_as, username):
        assert login_as(username).get(reverse("admin:index")).status_code == 403
