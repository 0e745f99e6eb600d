"""The shell in a real browser (Chromium through Playwright): sign-in with enrolment of the second
factor, the language switch, sign-out, the lockout, and every page of the foundation rendered with
its screenshot kept in test-artifacts/screenshots/. Every page must load without a console error,
a failed request or a request to another host (the centre runs on a closed network)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from casecenter.accounts.models import ApiToken

from .conftest import BROWSER_PASSWORD

pytestmark = pytest.mark.browser

HOME = re.compile(r"^http://[^/]+/$")
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"   # .btn-primary background in Bootstrap 5.3


def assert_styled(page) -> None:
    """Bootstrap's CSS, its JavaScript and the icon font really loaded (not only answered 200)."""
    # The scripts sit at the end of the body: a check that a text is on the page can pass while a
    # long page is still being parsed, before they ran.
    page.wait_for_load_state("load")
    style = page.evaluate("""() => {
        const probe = document.createElement('button');
        probe.className = 'btn btn-primary';
        document.body.appendChild(probe);
        const css = getComputedStyle(probe);
        const result = {background: css.backgroundColor, display: css.display,
                        bootstrapJs: typeof window.bootstrap === 'object', htmx: typeof window.htmx === 'object'};
        probe.remove();
        return result;
    }""")
    assert style == {"background": BOOTSTRAP_PRIMARY, "display": "inline-block", "bootstrapJs": True, "htmx": True}
    icon_fonts = page.evaluate("""async () => {
        await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('bootstrap-icons')).map(f => f.status);
    }""")
    if page.locator(".bi").count():
        assert "loaded" in icon_fonts, f"the Bootstrap Icons font did not load: {icon_fonts}"


def sign_in_with_password(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Username|用户名")).fill(username)
    page.get_by_label(re.compile("Password|密码")).fill(password)
    with page.expect_navigation():
        page.locator(".auth-card .card form button[type=submit]").click()


def submit_code(page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator(".auth-card .card form button[type=submit]").click()


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"[data-testid=language-switch] button[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_officer_enrols_switches_language_signs_out_and_in_again(page, browser_personas, screenshot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")   # the browser asks for zh-CN
    assert_styled(page)
    screenshot(page, "login")

    # 1. Password; an internal account without an authenticator must enrol one first.
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/enrol/$"))
    expect(page.locator(".qr img")).to_be_visible()   # whether it draws: test_enrolment_qr_code_renders
    grouped = page.get_by_test_id("totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", grouped.strip()), grouped
    assert_styled(page)
    screenshot(page, "enrol")
    totp = pyotp.TOTP(grouped.replace(" ", ""))

    # 2. The first code confirms the enrolment and opens the session on the home page.
    first_code = totp.now()
    submit_code(page, first_code)
    expect(page).to_have_url(HOME)
    expect(page.locator("[data-role=case_officer]")).to_be_visible()
    expect(page.locator(".alert-success")).to_be_visible()
    assert_styled(page)
    screenshot(page, "home-after-enrolment")

    # 3. English, then back to Chinese.
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Welcome, 王建国")
    expect(page.get_by_test_id("user-menu")).to_contain_text("王建国")
    switch_language(page, "zh-hans")
    expect(page.locator("h1")).not_to_have_text("Welcome, 王建国")
    expect(page.locator("[data-testid=language-switch] button[value=en]")).to_have_text("English")
    expect(page.locator("[data-role=case_officer]")).to_be_visible()

    # 4. Sign out through the user menu (a Bootstrap dropdown: needs its JavaScript).
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))   # the session is gone

    # 5. Second sign-in: password, then a fresh code. Each 30-second step is usable once: the
    # enrolment's code is refused, the next step's code is accepted (the server allows ±1 step).
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    submit_code(page, first_code)
    expect(page.locator("input[name=code].is-invalid")).to_be_visible()   # a used code is refused
    submit_code(page, totp.at(time.time() + 30))
    expect(page).to_have_url(HOME)
    expect(page.locator("[data-role=case_officer]")).to_be_visible()
    page.watch.assert_clean()


def test_enrolment_qr_code_renders(page, browser_personas):
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    qr = page.locator(".qr img")
    expect(qr).to_be_visible()
    drawn = qr.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert drawn > 0, "the enrolment QR code is not drawn: the officer can only type the key by hand"


def test_five_wrong_passwords_lock_the_account(page, browser_personas, screenshot):
    for attempt in range(1, 6):
        sign_in_with_password(page, "officer1", f"wrong password {attempt}")
        error = page.get_by_test_id("form-error")
        expect(error).to_be_visible()
        if attempt < 5:
            expect(error).not_to_contain_text("10")
    expect(error).to_contain_text(re.compile(r"locked|锁定"))
    expect(error).to_contain_text("10")
    screenshot(page, "login-locked")
    # Even the right password is refused now, with the same message.
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    expect(page.get_by_test_id("form-error")).to_contain_text("10")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert_styled(page)
    page.watch.assert_clean()


@pytest.mark.parametrize(("username", "role"), [
    ("officer1", "case_officer"), ("sysadmin", "system_admin"), ("auditadmin", "audit_admin"),
])
def test_home_page_per_role(page, sign_in_as, screenshot, username, role):
    user = sign_in_as(username)
    page.goto("/")
    expect(page.locator(f"[data-role={role}]")).to_be_visible()
    expect(page.locator("[data-role]")).to_have_count(1)
    expect(page.get_by_test_id("user-menu")).to_contain_text(user.full_name)
    admin_link = page.locator(".app-header a[href='/accounts/administration/']")
    expect(admin_link).to_have_count(1 if role == "system_admin" else 0)   # the menu offers no 403
    assert_styled(page)
    screenshot(page, f"home-{role.replace('_', '-')}")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    screenshot(page, f"home-{role.replace('_', '-')}-menu")
    page.watch.assert_clean()


def test_profile_shows_a_new_api_token_once(page, sign_in_as, screenshot):
    user = sign_in_as("analyst")     # the roles with API use create tokens (access.py API_USERS)
    page.goto("/accounts/profile/")
    page.locator("#id_name").fill("统计导出脚本")
    with page.expect_navigation():
        page.locator("#tokens form button[type=submit]").click()
    key = page.get_by_test_id("new-token").locator(".token-key").inner_text().strip()
    token = ApiToken.objects.get(user=user)
    assert key.startswith(token.prefix) and len(key) > len(token.prefix)
    expect(page.locator("#tokens tbody tr")).to_have_count(1)
    expect(page.locator("#tokens tbody")).to_contain_text("统计导出脚本")
    assert_styled(page)
    screenshot(page, "profile-new-token")
    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)   # shown once only
    page.watch.assert_clean()


def test_the_catalogues_for_the_system_administrator_and_the_403_page(page, sign_in_as, screenshot):
    sign_in_as("sysadmin")
    page.goto("/admin/")
    expect(page.locator("#content")).to_be_visible()
    expect(page.locator("a[href='/admin/cases/casecause/']").first).to_be_visible()
    expect(page.locator("a[href^='/admin/accounts/']")).to_have_count(0)   # accounts: the application's pages
    screenshot(page, "admin-index")

    # The token list is the security administrator's: the system administrator gets the 403 page.
    page.watch.expect_status("/accounts/tokens/", 403)
    response = page.goto("/accounts/tokens/")
    assert response.status == 403
    expect(page.locator(".error-page .code")).to_have_text("403")
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    assert_styled(page)
    screenshot(page, "error-403")
    page.watch.assert_clean()


def test_api_docs_render_from_local_assets(page, sign_in_as, screenshot):
    sign_in_as("analyst")
    page.goto("/")
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_test_id("api-docs-link").click()      # from the user menu, not the main navigation
    expect(page).to_have_url(re.compile(r"/api/v1/docs/$"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("执法办案管理中心 API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "api-docs")
    assert any("/api/v1/schema/" in url for url in page.watch.requests)
    page.watch.assert_clean()   # includes: every request went to the live server, none to a CDN


def test_not_found_page(page, sign_in_as, screenshot):
    sign_in_as("officer1")
    page.watch.expect_status("/no-such-page/", 404)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.locator(".error-page .code")).to_have_text("404")
    expect(page.locator(".error-page a.btn")).to_have_attribute("href", "/")
    assert_styled(page)
    screenshot(page, "error-404")
    page.watch.assert_clean()


def test_demo_mode_signs_in_without_second_factor_under_a_banner(page, browser_personas, settings, screenshot):
    settings.DEMO_MODE = True   # the live server runs in this process and reads the same settings
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    expect(page).to_have_url(HOME)
    banner = page.locator(".demo-banner")
    expect(banner).to_be_visible()
    assert banner.bounding_box()["y"] == 0, "the banner is the first thing on the page"
    expect(page.locator("[data-role=case_officer]")).to_be_visible()
    assert_styled(page)
    screenshot(page, "home-demo-mode")
    page.watch.assert_clean()


@pytest.mark.parametrize(("username", "language"), [("officer1", "zh-hans"), ("officer1", "en"), ("sysadmin", "en")])
def test_header_fits_small_screens(page, sign_in_as, screenshot, username, language):
    """A 1024-pixel office screen keeps the header on one row; a phone folds it behind the toggler.
    (officer1: the longest unit name; sysadmin: the most menu items; English: the longest labels.)"""
    sign_in_as(username)
    page.context.add_cookies([{"name": "casecenter_language", "value": language, "url": page.watch.origin}])
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        header = page.locator(".app-header").bounding_box()
        assert header["height"] < 70, f"the header wraps onto a second row at {width} px: {header}"
        beyond = page.evaluate("""() => [...document.querySelectorAll('.app-header *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + '.' + e.className)""")
        assert not beyond, f"the header runs past the right edge at {width} px: {beyond}"
    screenshot(page, f"home-1024-{username}-{language}")
    page.set_viewport_size({"width": 390, "height": 800})
    expect(page.get_by_test_id("user-menu")).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav.collapse.show")).to_be_visible()   # the fold-out has finished opening
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    screenshot(page, f"home-phone-menu-{username}-{language}")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide, f"the page scrolls sideways on a phone: {wide}"
    page.watch.assert_clean()
