"""The lists and pages as a user reads them, in a real browser: the demo cases with their clocks and
a breach raised by the scan; state badges coloured by family; finished clocks with their outcome;
the empty lists of a unit without cases; tables at a phone's 390 px with their first column held in
place; the acceptance record printed to A4 with Chromium (and rasterised with pdftoppm), in Chinese
and in English. Screenshots in test-artifacts/screenshots/product-*.png."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import SCREENSHOTS
from .test_browser import assert_styled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OFFICE = {"width": 1366, "height": 850}
LISTS = {"cases": "cases:list", "deadlines": "deadlines:list", "alerts": "deadlines:alerts", "people": "people:list"}
BACKGROUND = "el => getComputedStyle(el).backgroundColor"
TABLES = {"cases": "case-table", "deadlines": "deadline-table", "alerts": "alert-table", "people": "person-table"}


@pytest.fixture
def demo_cases(browser_personas):
    """The demo cases of 城关派出所 (every status, running and finished measures; the history and the
    live set placed relative to now), and the scan's warnings and breaches delivered."""
    from casecenter.cases.demo import load_demo, refresh_demo
    from casecenter.cases.loader import load_shipped_causes
    from casecenter.deadlines.scan import scan

    load_shipped_causes()
    load_demo(browser_personas)
    refresh_demo(browser_personas)
    scan()


def _english(page, live_server) -> None:
    page.context.add_cookies([{"name": "casecenter_language", "value": "en", "url": live_server.url}])


def _first_column_sticks(page, testid: str) -> None:
    """At 390 px the table scrolls sideways inside its box and its first column stays in place."""
    table = page.get_by_test_id(testid)
    box = table.locator("xpath=..")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to scroll"
    assert table.locator("tbody tr td").first.evaluate("el => getComputedStyle(el).position") == "sticky"
    first = table.locator("tbody tr td").first.bounding_box()
    box.evaluate("el => el.scrollLeft = 200")
    assert table.locator("tbody tr td").first.bounding_box()["x"] == pytest.approx(first["x"], abs=1)
    assert table.locator("tbody tr td").nth(1).bounding_box()["x"] < first["x"] + first["width"]
    box.evaluate("el => el.scrollLeft = 0")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_lists_read_as_a_product_at_an_office_screen_and_on_a_phone(page, sign_in_as, demo_cases, screenshot,
                                                                       live_server, language):
    suffix = "" if language == "zh-hans" else "-en"
    if language == "en":
        _english(page, live_server)
    sign_in_as("officer1")
    for name, url_name in LISTS.items():
        page.set_viewport_size(OFFICE)
        page.goto(reverse(url_name))
        assert_styled(page)
        table = TABLES[name]
        expect(page.get_by_test_id(table)).to_be_visible()
        screenshot(page, f"product-{name}{suffix}")
        page.set_viewport_size(PHONE)
        _first_column_sticks(page, table)
        screenshot(page, f"product-{name}{suffix}-390")
    page.watch.assert_clean()


def test_badges_of_one_family_look_the_same_on_lists_and_pages(page, sign_in_as, demo_cases):
    sign_in_as("officer1")
    page.goto(reverse("cases:list"))
    badges = page.locator(".status-badge")
    colours = {}
    for i in range(badges.count()):
        badge = badges.nth(i)
        family = badge.get_attribute("data-family")
        colour = badge.evaluate(BACKGROUND)
        assert colours.setdefault(family, colour) == colour
        assert badge.locator("i.bi").count() == 1 and badge.inner_text().strip()  # an icon and words
    assert {"waiting", "active", "done", "archived"} <= set(colours)
    assert len(set(colours.values())) == len(colours)  # each family its own colour
    page.get_by_test_id("case-table").locator("a").first.click()
    status = page.get_by_test_id("case-status")
    assert status.evaluate(BACKGROUND) == colours[status.get_attribute("data-family")]
    # A breach is "refused" red in the inbox (its level) and on the list of clocks (its state).
    page.goto(reverse("deadlines:alerts"))
    inbox = page.locator(".status-badge[data-family=refused]").first.evaluate(BACKGROUND)
    page.goto(reverse("deadlines:list") + "?state=breached")
    clocks = page.locator(".status-badge[data-family=refused]").first.evaluate(BACKGROUND)
    assert inbox == clocks != colours["active"]
    page.watch.assert_clean()


def test_a_breached_clock_names_its_case_person_and_rule_and_says_how_late_it_is(
        page, sign_in_as, demo_cases, statute_library, screenshot, live_server):
    from casecenter.deadlines.models import Alert, Deadline

    breach = Alert.objects.filter(level="breach").select_related("deadline").first()
    assert breach is not None, "the demo has an overdue clock"
    sign_in_as("officer1")
    page.goto(reverse("deadlines:alert", args=[breach.pk]))
    expect(page.get_by_test_id("clock-case-link")).to_be_visible()
    expect(page.get_by_test_id("clock-rule").locator("a").first).to_have_attribute("href", re.compile(r"^/law/"))
    expect(page.get_by_test_id("clock-outcome")).to_contain_text("超期")
    screenshot(page, "product-alert-breach")
    page.goto(breach.deadline.get_absolute_url())
    expect(page.get_by_test_id("clock-outcome")).to_contain_text(re.compile(r"到期未办结，已超期\d"))
    screenshot(page, "product-deadline-breached")

    met = Deadline.objects.filter(state="met").exclude(person_id=None).first()
    page.goto(met.get_absolute_url())
    expect(page.get_by_test_id("clock-outcome")).to_contain_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d 按期完成"))
    expect(page.get_by_test_id("clock-person-link")).to_be_visible()
    screenshot(page, "product-deadline-met")

    _english(page, live_server)
    page.goto(met.get_absolute_url())
    expect(page.get_by_test_id("clock-outcome")).to_contain_text(re.compile(r"^Met at \d{4}-\d\d-\d\d \d\d:\d\d"))
    expect(page.locator("h1")).not_to_contain_text("刑事拘留")  # the title is said in English
    screenshot(page, "product-deadline-met-en")
    page.goto(reverse("deadlines:alert", args=[breach.pk]))
    expect(page.get_by_test_id("clock-outcome")).to_contain_text("Breached at")
    screenshot(page, "product-alert-breach-en")
    page.watch.assert_clean()


def test_the_case_page_tells_when_things_happened_in_either_language(page, sign_in_as, demo_cases, screenshot,
                                                                      live_server):
    from casecenter.cases.models import Case

    detained = Case.objects.filter(measures__kind="criminal_detention", measures__status="active").first()
    sign_in_as("officer1")
    page.goto(reverse("cases:detail", args=[detained.pk]))
    expect(page.get_by_test_id("timeline-event").first).to_be_visible()
    expect(page.get_by_test_id("measure-status").first).to_have_attribute("data-family", "active")
    for countdown in page.get_by_test_id("countdown").all():
        assert "d" not in countdown.inner_text()
    screenshot(page, "product-case")
    page.set_viewport_size(PHONE)
    screenshot(page, "product-case-390")
    page.set_viewport_size(OFFICE)
    _english(page, live_server)
    page.goto(reverse("cases:detail", args=[detained.pk]))
    expect(page.get_by_test_id("case-timeline")).to_contain_text("recorded the measure Criminal detention")
    expect(page.get_by_test_id("case-deadlines")).to_contain_text("Criminal detention")
    expect(page.get_by_test_id("case-deadlines")).not_to_contain_text("刑事拘留")
    screenshot(page, "product-case-en")
    page.watch.assert_clean()


def test_empty_lists_say_what_will_appear_and_how_to_add_the_first(page, sign_in_as, browser_personas, screenshot,
                                                                 live_server):
    sign_in_as("officer1")
    page.goto(reverse("cases:list"))
    expect(page.get_by_test_id("case-empty")).to_contain_text("尚无案件")
    expect(page.get_by_test_id("case-empty-intake")).to_have_attribute("href", reverse("cases:intake"))
    screenshot(page, "product-empty-cases")
    page.goto(reverse("cases:list") + "?status=archived")
    expect(page.get_by_test_id("case-empty")).to_contain_text("没有符合条件的案件")
    expect(page.get_by_test_id("case-empty-intake")).to_have_count(0)
    page.goto(reverse("deadlines:list"))
    expect(page.get_by_test_id("deadline-empty")).to_contain_text("没有正在计算的期限")
    screenshot(page, "product-empty-deadlines")
    page.goto(reverse("deadlines:alerts"))
    expect(page.get_by_test_id("alert-empty")).to_contain_text("暂无推送给您的预警")
    screenshot(page, "product-empty-alerts")
    page.goto(reverse("people:list"))
    expect(page.get_by_test_id("person-empty")).to_contain_text("尚未登记任何人员")
    expect(page.get_by_test_id("person-empty-create")).to_be_visible()
    screenshot(page, "product-empty-people")
    _english(page, live_server)
    page.goto(reverse("cases:list"))
    expect(page.get_by_test_id("case-empty")).to_contain_text("No case yet.")
    screenshot(page, "product-empty-cases-en")
    page.watch.assert_clean()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_acceptance_record_prints_as_the_paper_forms_on_a4(page, sign_in_as, demo_cases, live_server, language):
    from casecenter.cases.models import Case

    if language == "en":
        _english(page, live_server)
    case = Case.objects.exclude(acceptance__reporter_name="").filter(status="accepted").first()
    sign_in_as("officer1")
    page.goto(reverse("cases:acceptance_record", args=[case.pk]))
    expect(page.get_by_test_id("acceptance-record")).to_be_visible()
    if language == "zh-hans":
        expect(page.get_by_test_id("paper-received")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\d{1,2}时\d\d分$"))
        expect(page.get_by_test_id("paper-receipt-date")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"))
        expect(page.get_by_test_id("paper-seal")).to_contain_text("（印）")
        expect(page.get_by_test_id("acceptance-record")).to_contain_text("受案民警：")
        expect(page.get_by_test_id("acceptance-record")).to_contain_text("受案部门负责人：")
    page.watch.assert_clean()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"product-acceptance-record-{language}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\b", info), info  # one sheet per form
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
    assert shutil.which("pdftoppm"), "poppler-utils is installed by `make setup-test`"
    prefix = SCREENSHOTS / f"product-acceptance-record-{language}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)
    assert (SCREENSHOTS / f"product-acceptance-record-{language}-1.png").exists()
