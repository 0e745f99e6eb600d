"""The rule catalog: what it holds, how a bad rule is refused, overrides, the law-version switch."""

from __future__ import annotations

import copy
import dataclasses
import re
import tomllib
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from casecenter.deadlines import checks, loader, rules
from casecenter.law.loader import catalog as statute_catalog
from casecenter.law.parser import parse_statute

SHANGHAI = rules.SHANGHAI
RAW = tomllib.loads(loader.RULES_FILE.read_text(encoding="utf-8"))


def raw_rule(rule_id: str) -> dict:
    return copy.deepcopy(next(r for r in RAW["rule"] if r["id"] == rule_id))


def parse(*tables) -> list[rules.Rule]:
    return loader.parse_rules({"rule": list(tables)}, "test.toml")


@pytest.fixture
def fresh_catalog():
    yield
    rules.reload()


class TestTheShippedCatalog:
    def test_every_numbered_rule_of_the_domain_is_there(self):
        ids = set(rules.catalog().ids())
        assert ids >= {
            "criminal-summons", "compelled-appearance", "public-order-questioning", "continued-questioning",
            "detention-to-detention-house", "detention-family-notice", "interrogation-after-detention",
            "arrest-request", "procuratorate-decision-detained", "procuratorate-decision-not-detained",
            "refused-arrest-receipt", "refused-arrest-reconsideration", "refused-arrest-review",
            "arrest-family-notice", "interrogation-after-arrest", "arrest-execution-receipt", "investigative-custody",
            "bail", "residential-surveillance", "residential-surveillance-family-notice", "measure-change-request",
            "lawyer-meeting", "lawyer-meeting-permission", "legal-aid-notice", "legal-aid-forward", "case-transfer",
            "criminal-filing-review", "administrative-acceptance-review", "refusal-notice",
            "refusal-reconsideration-request", "refusal-reconsideration-decision", "refusal-review-request",
            "unrelated-property-release", "unclaimed-property", "public-order-case", "fast-track-decision",
            "administrative-seizure", "property-handover"}

    def test_every_cited_article_exists_in_the_statute_text(self):
        texts = {entry.code: entry.path for entry in statute_catalog()}
        numbers = {}
        for rule in rules.catalog().rules():
            cites = list(rule.citations) + [e.citation for e in rule.extensions if e.citation]
            for citation in cites + [p.citation for p in rule.pauses]:
                if citation.law not in numbers:
                    parsed = parse_statute(Path(texts[citation.law]).read_text(encoding="utf-8"))
                    numbers[citation.law] = {(a.number, len(a.paragraphs)) for a in parsed.articles}
                found = [count for number, count in numbers[citation.law] if number == citation.article]
                assert found, f"{rule.id}: {citation.label} is not in the text"
                assert citation.paragraph is None or citation.paragraph <= found[0], f"{rule.id}: {citation.label}"

    def test_liberty_clocks_are_critical_and_reach_supervision(self):
        for rule_id in ("criminal-summons", "continued-questioning", "detention-to-detention-house",
                        "investigative-custody"):
            rule = rules.catalog().get(rule_id)
            assert rule.severity == "critical" and "supervision" in rule.notify

    def test_custody_warns_ten_and_seven_days_before_expiry(self):
        assert rules.catalog().get("investigative-custody").warnings == (timedelta(days=10), timedelta(days=7))

    def test_citation_label_is_the_chinese_form(self):
        assert rules.Citation("cpl", 119, 2).label == "刑诉法第一百一十九条第二款"
        assert rules.Citation("mps-admin-rules", 58, 2, 3).label == "行规第五十八条第二款第三项"

    @pytest.mark.django_db
    def test_citation_links_to_the_article_in_force(self):
        assert rules.Citation("cpl", 105, 4).url(datetime(2026, 1, 1).date()) == "/law/cpl/2018-10-26/105"
        assert rules.Citation("cpl", 105).url(datetime(2000, 1, 1).date()) is None  # not in force yet

    def test_names_follow_the_language(self):
        rule = rules.catalog().get("criminal-summons")
        with translation.override("zh-hans"):
            assert rule.name == "刑事传唤"
        with translation.override("en"):
            assert rule.name == "Criminal summons"

    def test_extension_and_pause_lookups_refuse_unknown_ids(self):
        rule = rules.catalog().get("arrest-request")
        assert rule.extension("roving-serial-gang").approval_role == "county_chief"
        with pytest.raises(rules.RuleError) as error:
            rule.extension("forever")
        assert error.value.field == "tier" and "forever" in error.value.message
        with pytest.raises(rules.RuleError):
            rule.pause_kind("appraisal")

    def test_the_arrest_request_grounds_exclude_each_other(self):
        # 刑规 129 ¶1 (特殊情况, 1–4 days) and ¶2 (流窜、多次、结伙, 至三十日) are alternative grounds.
        rule = rules.catalog().get("arrest-request")
        specials = {e.id for e in rule.extensions if e.id.startswith("special-")}
        assert set(rule.extension("roving-serial-gang").excludes) == specials
        for tier in specials:
            assert "roving-serial-gang" in rule.extension(tier).excludes

    def test_the_reconsideration_decision_may_be_extended_for_major_cases(self):
        # 刑规 179 ¶3: "案情重大、复杂的，公安机关可以延长复议、复核时限，但是延长时限不得超过三十日".
        tier = rules.catalog().get("refusal-reconsideration-decision").extension("major-complex")
        assert (tier.duration, tier.mode, tier.approval_role) == (rules.Duration(30, "days"), "add", "county_chief")
        assert tier.citation.ref == "mps-criminal-rules 179(3)"

    def test_approver_level_defaults_to_the_unit(self):
        # 行政强制法 25 / 行规 112: "经行政机关负责人批准" / "经县级以上公安机关负责人批准" — not the organ above.
        assert rules.catalog().get("administrative-seizure").extension("complex").approver_level == "unit"
        assert rules.catalog().get("arrest-request").extension("special-1-day").approver_level == "unit"

    def test_a_bad_approver_level_or_maximum_cannot_be_built(self):
        tier = rules.catalog().get("arrest-request").extension("special-1-day")
        with pytest.raises(ValueError, match="approver_level"):
            dataclasses.replace(tier, approver_level="mayor")
        rule = rules.catalog().get("arrest-request")
        with pytest.raises(ValueError, match="shorter than the period"):
            dataclasses.replace(rule, maximum=rules.Duration(2, "days"))
        with pytest.raises(ValueError, match="rule's unit"):
            dataclasses.replace(rule, maximum=rules.Duration(1, "months"))
        custody = rules.catalog().get("administrative-acceptance-review")  # 24 hours, a 3-day total tier
        with pytest.raises(ValueError, match="counted in days"):
            dataclasses.replace(custody, maximum=rules.Duration(72, "hours"))
        assert dataclasses.replace(rule, maximum=rules.Duration(3, "days")).maximum == rules.Duration(3, "days")

    def test_the_public_order_case_extension_is_approved_by_the_organ_above(self):
        # 治安法 99 / 行规 165: "案情重大、复杂的，经上一级公安机关批准，可以延长三十日".
        for version in rules.catalog().versions("public-order-case"):
            tier = version.extension("major-complex")
            assert (tier.approver_level, tier.approval_role) == ("higher_organ", "county_chief")

    def test_the_arrest_request_is_capped_at_thirty_days(self):
        assert rules.catalog().get("arrest-request").maximum == rules.Duration(30, "days")

    def test_unknown_rule_names_the_id(self):
        with pytest.raises(rules.UnknownRule) as error:
            rules.catalog().resolve("no-such-rule", datetime(2026, 1, 1, tzinfo=SHANGHAI))
        assert "no-such-rule" in error.value.message and error.value.fields == {"rule": [error.value.message]}


class TestLawVersionSwitch:
    def test_the_revised_law_applies_from_2026_01_01_00_00_shanghai(self):
        catalog = rules.catalog()
        before = catalog.resolve("public-order-questioning", datetime(2025, 12, 31, 23, 59, 59, tzinfo=SHANGHAI))
        after = catalog.resolve("public-order-questioning", datetime(2026, 1, 1, 0, 0, tzinfo=SHANGHAI))
        assert before.valid_until.isoformat() == "2025-12-31" and not before.unconfirmed
        assert after.valid_from.isoformat() == "2026-01-01" and after.unconfirmed
        assert "many-or-unknown" not in {e.id for e in before.extensions}
        assert "many-or-unknown" in {e.id for e in after.extensions}

    def test_the_switch_is_by_shanghai_time_not_utc(self):
        # 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Shanghai.
        from datetime import UTC
        rule = rules.catalog().resolve("public-order-questioning", datetime(2025, 12, 31, 16, 30, tzinfo=UTC))
        assert rule.valid_from is not None

    def test_get_is_the_latest_version(self):
        assert rules.catalog().get("public-order-questioning").valid_from.isoformat() == "2026-01-01"

    def test_naive_time_is_refused(self):
        with pytest.raises(rules.RuleError):
            rules.catalog().resolve("public-order-questioning", datetime(2026, 1, 1))


BAD_RULES = [
    ("duration", lambda r: r.update(duration="12 fortnights"), "duration"),
    ("duration", lambda r: r.update(duration="0 hours"), "duration"),
    ("unknown law", lambda r: r.update(citations=["penal-code 1"]), "citations[0]"),
    ("citation form", lambda r: r.update(citations=["cpl art. 119"]), "citations[0]"),
    ("no citation", lambda r: r.update(citations=[]), "citations"),
    ("subject", lambda r: r.update(subject="planet"), "subject"),
    ("severity", lambda r: r.update(severity="apocalyptic"), "severity"),
    ("notify", lambda r: r.update(notify=["mayor"]), "notify"),
    ("warnings order", lambda r: r.update(warnings=["30 minutes", "2 hours"]), "warnings"),
    ("warning too long", lambda r: r.update(warnings=["13 hours"]), "warnings"),
    ("hour roll", lambda r: r.update(holiday_roll=True), "holiday_roll"),
    ("unknown field", lambda r: r.update(colour="red"), "colour"),
    ("approval role", lambda r: r["extension"][0].update(approval_role="mayor"), "extension 'serious'.approval_role"),
    ("extension mode", lambda r: r["extension"][0].update(mode="multiply"), "extension 'serious'.mode"),
    ("requires", lambda r: r["extension"][0].update(requires=["ghost"]), "extension 'serious'.requires"),
    ("add in other unit", lambda r: r["extension"][0].update(mode="add", duration="2 days"),
     "extension 'serious'.duration"),
    ("approver level", lambda r: r["extension"][0].update(approver_level="mayor"),
     "extension 'serious'.approver_level"),
    ("maximum form", lambda r: r.update(maximum="many hours"), "maximum"),
    ("maximum below the period", lambda r: r.update(maximum="11 hours"), "maximum"),
    ("maximum in another unit", lambda r: r.update(maximum="2 days"), "maximum"),
    ("validity", lambda r: r.update(valid_from=datetime(2026, 1, 2).date(), valid_until=datetime(2026, 1, 1).date()),
     "valid_until"),
]


class TestValidation:
    @pytest.mark.parametrize(("what", "spoil", "field"), BAD_RULES, ids=[b[0] for b in BAD_RULES])
    def test_a_bad_rule_is_refused_naming_the_rule_and_the_field(self, what, spoil, field):
        table = raw_rule("criminal-summons")
        spoil(table)
        with pytest.raises(loader.CatalogError) as error:
            parse(table)
        assert error.value.rule_id == "criminal-summons" and error.value.field == field
        assert "rule 'criminal-summons'" in str(error.value) and field in str(error.value)

    def test_overlapping_versions_are_refused(self):
        first, second = raw_rule("public-order-questioning"), raw_rule("public-order-questioning")
        second["valid_from"] = first["valid_until"]
        with pytest.raises(loader.CatalogError, match="overlap"):
            parse(first, second)

    def test_a_broken_toml_file_stops_catalog_with_improperly_configured(self, tmp_path, fresh_catalog):
        broken = tmp_path / "rules.toml"
        broken.write_text('[[rule]]\nid = "x"\nduration = \n', encoding="utf-8")
        with pytest.raises(ImproperlyConfigured, match="not valid TOML"):
            loader.load_rules(broken)

    def test_the_system_check_reports_e001_naming_the_rule(self, fresh_catalog, tmp_path, monkeypatch):
        text = loader.RULES_FILE.read_text(encoding="utf-8").replace('duration = "3 days"', 'duration = "3 eons"', 1)
        bad = tmp_path / "rules.toml"
        bad.write_text(text, encoding="utf-8")
        with monkeypatch.context() as patch:
            patch.setattr(loader, "RULES_FILE", bad)
            [error] = checks.check_rule_catalog()
            with pytest.raises(CommandError, match="arrest-request"):
                call_command("deadlines", "rules", "--validate", stdout=StringIO())
        assert error.id == "deadlines.E001"
        assert "rule 'arrest-request'" in error.msg and "field 'duration'" in error.msg

    def test_the_shipped_catalog_passes_the_check(self):
        assert checks.check_rule_catalog() == []


class TestOverrides:
    def write(self, tmp_path, text: str) -> Path:
        path = tmp_path / "overrides.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def test_an_unconfirmed_rule_can_be_changed_and_says_so(self, tmp_path, fresh_catalog):
        path = self.write(tmp_path, '[[rule]]\nid = "public-order-questioning"\nvalid_from = 2026-01-01\n'
                                    'warnings = ["3 hours", "1 hour"]\n')
        with override_settings(CASECENTER={"DEADLINE_RULES_OVERRIDES": str(path)}):
            catalog = rules.reload()
        rule = catalog.get("public-order-questioning")
        assert rule.warnings == (timedelta(hours=3), timedelta(hours=1))
        assert rule.overridden == str(path)
        assert not catalog.versions("public-order-questioning")[0].overridden  # the 2012 version is untouched

    def test_the_override_replaces_the_extension_tiers(self, tmp_path, fresh_catalog):
        path = self.write(tmp_path, '[[rule]]\nid = "public-order-questioning"\n[[rule.extension]]\nid = "complex"\n'
                          'name_zh = "复杂"\nname_en = "Complex"\nduration = "12 hours"\nmode = "total"\n'
                          'approval_role = "department_head"\nconditions_zh = "复杂"\nconditions_en = "Complex"\n'
                          'source = "local instruction"\n')
        rule = rules.Catalog(loader.load_rules(overrides=path)).get("public-order-questioning")
        assert [(e.id, e.duration.amount) for e in rule.extensions] == [("complex", 12)]

    def test_a_confirmed_rule_cannot_be_overridden(self, tmp_path):
        path = self.write(tmp_path, '[[rule]]\nid = "criminal-summons"\nduration = "20 hours"\n')
        with pytest.raises(loader.CatalogError, match="confirmed") as error:
            loader.load_rules(overrides=path)
        assert error.value.rule_id == "criminal-summons"

    def test_an_override_is_validated_like_the_catalog(self, tmp_path):
        path = self.write(tmp_path, '[[rule]]\nid = "public-order-case"\nduration = "30 weeks"\n')
        with pytest.raises(loader.CatalogError) as error:
            loader.load_rules(overrides=path)
        assert (error.value.rule_id, error.value.field) == ("public-order-case", "duration")

    def test_an_override_of_an_unknown_rule_or_a_fixed_field_is_refused(self, tmp_path):
        with pytest.raises(loader.CatalogError, match="no such rule"):
            loader.load_rules(overrides=self.write(tmp_path, '[[rule]]\nid = "ghost"\n'))
        with pytest.raises(loader.CatalogError, match="cannot be overridden"):
            loader.load_rules(overrides=self.write(tmp_path, '[[rule]]\nid = "public-order-case"\nsubject = "visit"\n'))


class TestCommand:
    def test_rules_lists_each_version_and_flags_unconfirmed_ones(self):
        out = StringIO()
        call_command("deadlines", "rules", "public-order-questioning", stdout=out)
        lines = out.getvalue().splitlines()
        assert len(lines) == 2 and "UNCONFIRMED" in lines[1] and "UNCONFIRMED" not in lines[0]
        assert re.search(r"\[… – 2025-12-31\]", lines[0])

    def test_rules_validate_says_valid(self):
        out = StringIO()
        call_command("deadlines", "rules", "--validate", stdout=out)
        assert "valid" in out.getvalue()

    def test_rules_refuses_an_unknown_id(self):
        with pytest.raises(CommandError, match="ghost"):
            call_command("deadlines", "rules", "ghost", stdout=StringIO())
