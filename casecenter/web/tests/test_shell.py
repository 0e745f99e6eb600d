"""The shell: home page per role, navigation by role, language switch, error pages."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from casecenter.web.views import error_500


@pytest.mark.django_db
class TestHome:
    @pytest.mark.parametrize("username, role", [("officer1", "case_officer"), ("custodian", "property_custodian"),
                                                ("sysadmin", "system_admin"), ("auditadmin", "audit_admin")])
    def test_the_home_page_shows_the_users_role(self, login_as, username, role):
        page = login_as(username).get(reverse("web:home")).content.decode()
        assert f'data-role="{role}"' in page

    def test_navigation_offers_administration_only_to_configuration_admins(self, login_as):
        admin_link = f'href="{reverse("accounts:administration")}"'
        assert admin_link in login_as("sysadmin").get(reverse("web:home")).content.decode()
        assert admin_link in login_as("secadmin").get(reverse("web:home")).content.decode()
        for username in ("officer1", "auditadmin", "chief"):
            assert admin_link not in login_as(username).get(reverse("web:home")).content.decode()

    def test_an_account_without_roles_is_told_whom_to_ask(self, login_as, personas):
        from casecenter.accounts import services

        services.user_set_roles(actor=None, user=personas["officer2"], roles=[])
        page = login_as("officer2").get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "security administrator" in page

    def test_demo_mode_shows_a_banner(self, login_as, settings):
        settings.DEMO_MODE = True
        assert "demo-banner" in login_as("officer1").get(reverse("web:home")).content.decode()
        settings.DEMO_MODE = False
        assert "demo-banner" not in login_as("officer1").get(reverse("web:home")).content.decode()


@pytest.mark.django_db
class TestLanguage:
    def test_chinese_is_the_default_and_english_can_be_chosen(self, personas):
        client = Client()
        assert '<html lang="zh-hans">' in client.get(reverse("accounts:login")).content.decode()
        client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
        page = client.get(reverse("accounts:login")).content.decode()
        assert '<html lang="en">' in page and "Sign in" in page


@pytest.mark.django_db
class TestErrorPages:
    def test_404_page_is_translated_and_in_the_shell(self, login_as):
        response = login_as("officer1").get("/no-such-page/")
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()

    def test_403_page_explains_whom_to_ask(self, login_as):
        response = login_as("officer1").get(reverse("admin:index"))
        assert response.status_code == 403
        assert "安全管理员" in response.content.decode()

    def test_500_page_renders_without_the_database(self):
        response = error_500(RequestFactory().get("/"))
        assert response.status_code == 500 and "500" in response.content.decode()

    def test_healthz_answers(self, client):
        assert client.get(reverse("healthz")).json() == {"status": "ok"}
