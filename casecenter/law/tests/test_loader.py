"""Loading statutes: the shipped catalogue, one file, versions side by side, refusals, the ledger."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import ProtectedError

from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.law import loader, selectors
from casecenter.law.models import Article, Citation, Division, Law, LawVersion
from casecenter.law.parser import ParseError
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

pytestmark = pytest.mark.django_db


def _entry(path, **kwargs):
    return loader.Entry(path=path, code=kwargs.pop("code", "test-law"), **kwargs)


def test_migrate_loads_every_shipped_statute_with_the_catalogues_article_count(statutes):
    catalogue = json.loads(loader.CATALOG.read_text(encoding="utf-8"))["statutes"]
    assert len(statutes) == len(catalogue) == 11
    for entry in catalogue:
        version = statutes[entry["code"]]
        assert version.version_date.isoformat() == entry["version_date"]
        assert version.effective_date.isoformat() == entry["effective_date"]
        assert version.effective_date_basis == entry["effective_date_basis"]
        assert version.law.full_name == entry["full_name"]
        assert version.article_count == entry["article_count"]
        assert version.articles.count() == entry["article_count"], entry["file"]


def test_the_criminal_procedure_law_is_stored_article_by_article(statutes):
    cpl = statutes["cpl"]
    article = cpl.articles.select_related("division__parent").get(number=67, sub_number=None)
    assert article.label == "第六十七条"
    assert "取保候审" in article.text
    assert article.division.kind == "chapter" and article.division.parent.kind == "part"
    assert article.citation_text() == "《中华人民共和国刑事诉讼法》（2018-10-26）第六十七条"
    assert [d.title for d in cpl.divisions.filter(number__isnull=True)] == ["附则"]
    # Items (项) stay with their paragraph (款): 第六十七条 has a 款 of four 项, then a second 款.
    assert [len(p["items"]) for p in article.paragraphs] == [4, 0]
    assert article.paragraphs[1]["text"] == "取保候审由公安机关执行。"


def test_loading_the_shipped_statutes_again_loads_nothing(statutes):
    before = (LawVersion.objects.count(), Article.objects.count(), Division.objects.count())
    mark = last_event_id()
    assert loader.load_shipped() == []
    call_command("law", "load", "--shipped")
    assert (LawVersion.objects.count(), Article.objects.count(), Division.objects.count()) == before
    assert_no_records("law.version.loaded", after=mark)


def test_loading_a_version_records_it_in_the_ledger_as_the_system(small_law_file):
    mark = last_event_id()
    version = loader.load(_entry(small_law_file, short_name="测试法"))
    assert_records("law.version.loaded", after=mark, count=1, actor=None, subject=version, data={
        "law": "test-law", "full_name": "中华人民共和国测试法", "version_date": "2030-01-01",
        "effective_date": "2030-01-01", "effective_date_basis": "version-date", "articles": 4,
        "source_file": "测试法(2030-01-01).md", "source_sha256": version.source_sha256})


def test_a_small_law_keeps_its_structure(small_law_file):
    version = loader.load(_entry(small_law_file))
    assert version.law.full_name == "中华人民共和国测试法"  # the text's title when none is given
    assert version.version_date == dt.date(2030, 1, 1)      # from the file name
    assert version.preamble.startswith("2030年1月1日")
    assert [a.slug for a in version.articles.all()] == ["1", "2", "3", "3-1"]
    second = version.articles.get(number=2)
    assert second.paragraphs == [
        {"text": "本法适用于下列情形：", "items": [{"number": 1, "numeral": "一", "text": "传唤；"},
                                               {"number": 2, "numeral": "二", "text": "拘传。"}]},
        {"text": "依照前款规定办理。", "items": []}]
    inserted = version.articles.get(number=3, sub_number=1)
    assert inserted.label == "第三条之一" and inserted.division.title == "附则"


def test_versions_of_one_law_coexist_and_the_current_one_is_the_latest_in_force(statutes, tmp_path):
    revised = tmp_path / "刑事诉讼法(2026-12-01).md"
    revised.write_text("# 中华人民共和国刑事诉讼法\n第一条 修订后的第一条。\n第二条 修订后的第二条。\n",
                       encoding="utf-8")
    cpl = Law.objects.get(code="cpl")
    new = loader.load(_entry(revised, code="cpl", effective_date=dt.date(2027, 1, 1)))
    assert new.effective_date_basis == "given"
    assert cpl.versions.count() == 2
    assert statutes["cpl"].articles.count() == 308  # the old text is untouched
    today = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    with clock.frozen(today):
        assert selectors.get_version(selectors.get_law("cpl")).version_date == dt.date(2018, 10, 26)
    with clock.frozen(today + dt.timedelta(days=40)):
        assert selectors.get_version(selectors.get_law("cpl")) == new


def test_loading_a_version_twice_is_refused_and_changes_nothing(small_law_file):
    loader.load(_entry(small_law_file))
    mark = last_event_id()
    with pytest.raises(Conflict, match="already loaded"):
        loader.load(_entry(small_law_file))
    assert LawVersion.objects.filter(law__code="test-law").count() == 1
    assert_no_records("law.version.loaded", after=mark)


def test_a_code_that_belongs_to_another_law_is_refused(small_law_file):
    with pytest.raises(Conflict, match="belongs to 中华人民共和国刑事诉讼法"):
        loader.load(_entry(small_law_file, code="cpl"))


def test_a_malformed_text_names_its_line_and_saves_nothing(tmp_path):
    bad = tmp_path / "坏法(2030-01-01).md"
    bad.write_text("# 坏法\n第一条 一。\n第三条 跳过了第二条。\n", encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        loader.load(_entry(bad))
    assert raised.value.line_no == 3 and raised.value.source == "坏法(2030-01-01).md"
    assert not Law.objects.filter(code="test-law").exists()


def test_a_file_without_a_date_needs_a_version_date(tmp_path, small_law_file):
    undated = tmp_path / "测试法.md"
    undated.write_text(small_law_file.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="version date"):
        loader.load(_entry(undated))
    assert loader.load(_entry(undated, version_date=dt.date(2031, 2, 3))).version_date == dt.date(2031, 2, 3)


def test_version_dates_are_read_from_file_names():
    assert loader.version_date_from_name("刑事诉讼法(2018-10-26).md") == dt.date(2018, 10, 26)
    assert loader.version_date_from_name("刑事诉讼法（2018-10-26）.md") == dt.date(2018, 10, 26)
    assert loader.version_date_from_name("刑事诉讼法(2018-02-30).md") is None
    assert loader.version_date_from_name("刑事诉讼法.md") is None


def test_a_citation_keeps_its_article_from_being_deleted(statutes):
    article = statutes["cpl"].articles.get(number=119)
    citation = Citation.objects.create(article=article, paragraph=1, item=None, source_kind="deadlines.rule",
                                       source_ref="summons-12h", label="传唤持续时间")
    assert citation.pinpoint == "第一百一十九条第一款"
    with pytest.raises(ProtectedError):
        article.delete()


# --- post_migrate -------------------------------------------------------------------------------


def test_post_migrate_of_a_flush_does_not_reload(statutes):
    from django.apps import apps

    Article.objects.all().delete()
    Division.objects.all().delete()
    LawVersion.objects.all().delete()
    loader.load_after_migrate(apps.get_app_config("law"), plan=None)
    assert not LawVersion.objects.exists()
    loader.load_after_migrate(apps.get_app_config("law"), plan=[])
    assert LawVersion.objects.count() == 11


# --- the command --------------------------------------------------------------------------------


def test_the_command_loads_a_file_and_says_what_it_loaded(small_law_file, capsys):
    call_command("law", "load", str(small_law_file), "--code", "test-law", "--short-name", "测试法",
                 "--effective-date", "2030-03-01", "--issuing-body", "全国人民代表大会常务委员会")
    assert "Loaded test-law 中华人民共和国测试法 (2030-01-01, in force from 2030-03-01): 4 articles." in \
        capsys.readouterr().out
    law = Law.objects.get(code="test-law")
    assert (law.short_name, law.issuing_body) == ("测试法", "全国人民代表大会常务委员会")


def test_the_command_refuses_a_version_already_loaded(small_law_file):
    call_command("law", "load", str(small_law_file), "--code", "test-law")
    with pytest.raises(CommandError, match=r"中华人民共和国测试法 of 2030-01-01 is already loaded\."):
        call_command("law", "load", str(small_law_file), "--code", "test-law")


def test_the_command_names_file_and_line_of_a_malformed_text(tmp_path):
    bad = tmp_path / "坏法(2030-01-01).md"
    bad.write_text("# 坏法\n第一条 一。\n\n第一条 又是第一条。\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^坏法\(2030-01-01\)\.md, line 4: 第一条 after 第一条"):
        call_command("law", "load", str(bad), "--code", "bad")
    assert not Law.objects.filter(code="bad").exists()


def test_the_command_needs_a_file_or_shipped_and_a_code():
    with pytest.raises(CommandError, match="either a FILE or --shipped"):
        call_command("law", "load")
    with pytest.raises(CommandError, match="--code is required"):
        call_command("law", "load", "x.md")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("law", "load", "/nonexistent/x(2020-01-01).md", "--code", "x")


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    """The installed command, in a process of its own: the exit code and stderr an operator sees."""
    bad = tmp_path / "坏法(2030-01-01).md"
    bad.write_text("# 坏法\n第一条 一。\n第十条 跳号。\n", encoding="utf-8")
    env = {**os.environ, "CASECENTER_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "casecenter.config.settings"}
    run = subprocess.run([sys.executable, "-m", "casecenter", "law", "load", str(bad), "--code", "bad"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1
    assert "坏法(2030-01-01).md, line 3: 第十条 after 第一条" in run.stderr
    assert "Traceback" not in run.stderr
    bad_date = subprocess.run([sys.executable, "-m", "casecenter", "law", "load", str(bad), "--code", "bad",
                               "--version-date", "2030-02-30"], capture_output=True, text=True, env=env, timeout=120)
    assert bad_date.returncode == 2 and "Traceback" not in bad_date.stderr
