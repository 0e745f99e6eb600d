"""Sign-in: password, second factor, lockout, idle timeout."""

import datetime as dt
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from casecenter.accounts import services
from casecenter.accounts.models import TotpDevice, User
from casecenter.core import clock

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the Chinese catalogue is checked by test_i18n."""
    with translation.override("en"):
        yield
T0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _post_login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _enrol(user) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret)
    return pyotp.TOTP(secret)


@pytest.mark.django_db
class TestLockout:
    def test_five_failures_lock_the_account_for_ten_minutes(self, personas):
        with clock.frozen(T0) as c:
            for _ in range(4):
                with pytest.raises(services.LoginRefused, match="not correct"):
                    services.password_check(username="officer1", password="wrong password")
            with pytest.raises(services.LoginRefused, match="locked"):
                services.password_check(username="officer1", password="wrong password")
            # Locked: even the right password is refused, with the time left.
            with pytest.raises(services.LoginRefused, match="10 minutes"):
                services.password_check(username="officer1", password=PASSWORD)
            c.advance(minutes=9, seconds=59)
            with pytest.raises(services.LoginRefused, match="locked"):
                services.password_check(username="officer1", password=PASSWORD)
            c.advance(seconds=2)
            assert services.password_check(username="officer1", password=PASSWORD).username == "officer1"

    def test_lockout_is_kept_in_the_database_not_in_the_process(self, personas):
        with clock.frozen(T0):
            for _ in range(5):
                with pytest.raises(services.LoginRefused):
                    services.password_check(username="officer1", password="wrong password")
            # A fresh read of the row, as another process would see it after a restart.
            row = User.objects.get(username="officer1")
            assert row.locked_until == T0 + dt.timedelta(minutes=10)
            assert row.is_locked()

    def test_wrong_second_factor_codes_count_towards_the_lockout(self, personas):
        user = personas["officer1"]
        _enrol(user)
        with clock.frozen(T0):
            for _ in range(5):
                with pytest.raises(services.LoginRefused):
                    services.totp_check(user=user, code="000000")
            assert User.objects.get(pk=user.pk).is_locked()

    def test_the_lockout_message_is_shown_on_the_login_page(self, personas):
        client = Client()
        for _ in range(5):
            response = _post_login(client, "officer1", "wrong password")
        assert response.status_code == 200
        assert "10" in response.content.decode()
        assert User.objects.get(username="officer1").is_locked()

    def test_unknown_username_and_wrong_password_get_the_same_message(self, personas):
        with pytest.raises(services.LoginRefused) as unknown:
            services.password_check(username="nobody", password=PASSWORD)
        with pytest.raises(services.LoginRefused) as wrong:
            services.password_check(username="officer1", password="wrong password")
        assert unknown.value.message == wrong.value.message

    def test_a_deactivated_account_cannot_sign_in(self, personas):
        services.user_deactivate(actor=personas["sysadmin"], user=personas["officer1"])
        with pytest.raises(services.LoginRefused):
            services.password_check(username="officer1", password=PASSWORD)


@pytest.mark.django_db
class TestSecondFactor:
    def test_totp_is_required_for_internal_roles_outside_demo_mode(self, personas, settings):
        settings.DEMO_MODE = False
        client = Client()
        response = _post_login(client, "officer1")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login_enrol")
        # Not signed in yet: the home page still sends to the login page.
        assert client.get(reverse("web:home"))["Location"].startswith(reverse("accounts:login"))

    def test_demo_mode_makes_the_second_factor_optional(self, personas, settings):
        settings.DEMO_MODE = True
        client = Client()
        response = _post_login(client, "officer1")
        assert response["Location"] == reverse("web:home")
        assert client.get(reverse("web:home")).status_code == 200

    def test_enrolled_user_is_asked_for_a_code_even_in_demo_mode(self, personas, settings):
        settings.DEMO_MODE = True
        _enrol(personas["officer1"])
        response = _post_login(Client(), "officer1")
        assert response["Location"] == reverse("accounts:login_otp")

    def test_enrolment_then_sign_in_with_a_code(self, personas, settings):
        settings.DEMO_MODE = False
        client = Client()
        _post_login(client, "officer1")
        page = client.get(reverse("accounts:login_enrol"))
        assert page.status_code == 200
        secret = client.session["enrol_secret"]
        assert client.get(reverse("accounts:login_enrol_qr"))["Content-Type"] == "image/svg+xml"
        wrong = client.post(reverse("accounts:login_enrol"), {"code": "123456"})
        assert wrong.status_code == 200 and not TotpDevice.objects.filter(user=personas["officer1"]).exists()
        response = client.post(reverse("accounts:login_enrol"), {"code": pyotp.TOTP(secret).now()})
        assert response["Location"] == reverse("web:home")
        assert TotpDevice.objects.get(user=personas["officer1"]).secret == secret
        assert client.get(reverse("web:home")).status_code == 200

    def test_sign_in_with_password_and_code(self, personas, settings):
        settings.DEMO_MODE = False
        totp = _enrol(personas["officer1"])
        client = Client()
        assert _post_login(client, "officer1")["Location"] == reverse("accounts:login_otp")
        response = client.post(reverse("accounts:login_otp"), {"code": totp.now()})
        assert response["Location"] == reverse("web:home")
        assert User.objects.get(username="officer1").failed_login_count == 0

    def test_a_used_code_cannot_be_used_again(self, personas):
        user = personas["officer1"]
        totp = _enrol(user)
        with clock.frozen(timezone.now()):
            code = totp.now()
            services.totp_check(user=user, code=code)
            with pytest.raises(services.LoginRefused):
                services.totp_check(user=user, code=code)

    def test_the_code_step_expires_after_five_minutes(self, personas, settings, monkeypatch):
        settings.DEMO_MODE = False
        _enrol(personas["officer1"])
        client = Client()
        _post_login(client, "officer1")
        session = client.session
        session["pending_login"]["at"] = time.time() - 301
        session.save()
        assert client.get(reverse("accounts:login_otp"))["Location"] == reverse("accounts:login")


@pytest.mark.django_db
class TestSession:
    def test_thirty_minutes_idle_ends_the_session(self, login_as):
        client = login_as("officer1")
        assert client.get(reverse("web:home")).status_code == 200
        session = client.session
        session["last_activity"] = time.time() - 30 * 60 - 1
        session.save()
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        # Really signed out, not just redirected once.
        assert "_auth_user_id" not in client.session

    def test_activity_within_thirty_minutes_keeps_the_session(self, login_as):
        client = login_as("officer1")
        session = client.session
        session["last_activity"] = time.time() - 29 * 60
        session.save()
        assert client.get(reverse("web:home")).status_code == 200
        assert time.time() - client.session["last_activity"] < 5

    def test_idle_htmx_request_is_redirected_with_a_header(self, login_as):
        client = login_as("officer1")
        session = client.session
        session["last_activity"] = time.time() - 31 * 60
        session.save()
        response = client.get(reverse("web:home"), HTTP_HX_REQUEST="true")
        assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:login")

    def test_sign_out_needs_a_post(self, login_as):
        client = login_as("officer1")
        assert client.get(reverse("accounts:logout")).status_code == 405
        assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
        assert client.get(reverse("web:home")).status_code == 302

    def test_next_parameter_cannot_send_the_user_to_another_site(self, personas, settings):
        settings.DEMO_MODE = True
        client = Client()
        response = client.post(reverse("accounts:login") + "?next=https://evil.example/",
                               {"username": "officer1", "password": PASSWORD})
        assert response["Location"] == reverse("web:home")
