"""The search itself, on the database in use (the suite runs on SQLite and on PostgreSQL)."""

import pytest
from django.db import connection, transaction

from casecenter.search.indexing import index, index_many, make_doc, unindex
from casecenter.search.models import Document
from casecenter.search.selectors import search as search_everything

TEST_KINDS = ["test.case", "test.person"]


def search(query, *, user, kinds=None, **options):
    """The tests' own kinds only: the shipped statutes are indexed in every test database too."""
    return search_everything(query, user=user, kinds=kinds or TEST_KINDS, **options)


def refs(result):
    return [h.ref for h in result.hits]


@pytest.mark.django_db
def test_a_chinese_word_finds_its_document(corpus, personas):
    result = search("故意伤害", user=personas["officer1"])
    assert refs(result) == ["1"]
    assert "<mark>故意伤害</mark>" in result.hits[0].title


@pytest.mark.django_db
def test_a_name_is_found_by_characters_pinyin_and_initials(corpus, personas):
    officer = personas["officer1"]
    assert "1" in refs(search("张三", user=officer))
    assert "1" in refs(search("zhangsan", user=officer))
    assert "1" in refs(search("zs", user=officer))
    assert "3" in refs(search("danxue", user=officer))   # 单 read as a surname
    assert "3" in refs(search("shanxue", user=officer))  # …and every other reading
    assert refs(search("lisi", user=officer)) == ["1"]


@pytest.mark.django_db
def test_traditional_and_simplified_find_each_other(corpus, personas):
    officer = personas["officer1"]
    assert "4" in refs(search("取保候审", user=officer))
    assert "4" in refs(search("取保候審", user=officer))
    hit = next(h for h in search("条件", user=officer).hits if h.ref == "4")
    assert "<mark>條件</mark>" in hit.title           # the document's own characters, marked


@pytest.mark.django_db
def test_identifier_fragments_match_by_substring(corpus, personas):
    officer = personas["officer1"]
    assert refs(search("19880312", user=officer)) == ["1"]          # the middle of an ID number
    assert refs(search("1234567", user=officer)) == ["1"]           # part of a phone number
    assert refs(search("2026031400", user=officer)) == ["1"]        # part of a case number
    assert refs(search("0307002x", user=officer)) == ["3"]          # an X check digit, any case
    assert refs(search("0307002X", user=officer)) == ["3"]
    assert refs(search("zzz999", user=officer)) == []


@pytest.mark.django_db
def test_a_plate_fragment_with_chinese_characters_matches(corpus, city_officer):
    assert refs(search("京A123", user=city_officer)) == ["2"]
    assert refs(search("A12345", user=city_officer)) == ["2"]


@pytest.mark.django_db
def test_an_outsider_never_sees_another_units_documents_and_the_count_agrees(corpus, personas, city_officer):
    east = search("嫌疑", user=personas["officer1"])
    west = search("嫌疑", user=personas["outsider"])
    assert set(refs(east)) == {"1", "4"} and east.total == 2
    assert set(refs(west)) == {"2", "4"} and west.total == 2
    assert refs(search("张三", user=personas["outsider"])) == []
    assert search("张三", user=personas["outsider"]).total == 0
    assert refs(search("110105198803123456", user=personas["outsider"])) == []
    everyone = search("嫌疑", user=city_officer)
    assert everyone.total == 3


@pytest.mark.django_db
def test_external_accounts_see_only_documents_without_a_unit(corpus, personas):
    result = search("嫌疑", user=personas["lawyer"])
    assert refs(result) == ["4"] and result.total == 1


@pytest.mark.django_db
def test_counts_are_per_kind_and_kinds_filter(corpus, personas):
    officer = personas["officer1"]
    result = search("城关镇", user=officer)
    assert result.counts == {"test.case": 1, "test.person": 1}
    assert [g.kind for g in result.groups] == ["test.case", "test.person"]
    only_people = search("城关镇", user=officer, kinds=["test.person"])
    assert refs(only_people) == ["3"] and only_people.total == 1


@pytest.mark.django_db
def test_paging_is_exact(personas, test_kinds):
    unit = personas["officer1"].unit
    index_many(make_doc("test.case", n, unit=unit, title=f"案件{n}", body="盗窃电动自行车" + "。" * n)
               for n in range(1, 26))
    first = search("盗窃", user=personas["officer1"], limit=10)
    third = search("盗窃", user=personas["officer1"], limit=10, offset=20)
    assert first.total == 25 and len(first.hits) == 10 and first.has_next and not first.has_previous
    assert len(third.hits) == 5 and not third.has_next
    everything = refs(search("盗窃", user=personas["officer1"], limit=100))
    assert len(set(everything)) == 25
    assert search("盗窃", user=personas["officer1"], offset=500).hits == []


@pytest.mark.django_db
def test_ref_prefix_narrows_to_one_family_of_documents(personas, test_kinds):
    index_many([make_doc("test.case", "cpl/1", title="甲", body="取保候审"),
                make_doc("test.case", "cpr/1", title="乙", body="取保候审"),
                make_doc("test.case", "c_l/1", title="丙", body="取保候审")])
    assert refs(search("取保候审", user=personas["officer1"], ref_prefix="cpl/")) == ["cpl/1"]
    assert refs(search("取保候审", user=personas["officer1"], ref_prefix="c_l/")) == ["c_l/1"]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ['"取保候审', '取保"候审', "*", "", "取" * 10_000, '"张三" AND OR NEAR(',
                                 "NOT", "张三*", "'; DROP TABLE search_document; --", "{title_words}: x",
                                 "a" * 199, "１１０１０５", "^", "-", "NEAR(张三 李四)"])
def test_malformed_queries_give_a_message_or_hits_never_an_exception(corpus, personas, raw):
    result = search(raw, user=personas["officer1"])
    assert result.error or result.total >= 0
    if result.error:
        assert result.hits == [] and result.total == 0
    assert Document.objects.filter(kind__startswith="test.").count() == 4


@pytest.mark.django_db
def test_full_width_digits_are_folded(corpus, personas):
    assert refs(search("１９８８０３１２", user=personas["officer1"])) == ["1"]


@pytest.mark.django_db
def test_snippets_escape_html_and_mark_terms(personas, test_kinds):
    index_many([make_doc("test.case", 9, unit=personas["officer1"].unit, title="<script>alert(1)</script>盗窃",
                         body="前文" * 60 + "<b>盗窃</b>电动车" + "后文" * 60)])
    hit = search("盗窃", user=personas["officer1"]).hits[0]
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "&lt;b&gt;<mark>盗窃</mark>&lt;/b&gt;" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")


@pytest.mark.django_db
def test_indexing_waits_for_the_commit_and_a_rollback_indexes_nothing(personas, test_kinds,
                                                                      django_capture_on_commit_callbacks):
    unit = personas["officer1"].unit
    with django_capture_on_commit_callbacks(execute=True):
        index("test.case", 20, unit=unit, title="初稿", body="诈骗")
        index("test.case", 20, unit=unit, title="定稿", body="诈骗 电信网络")  # the last change wins
        assert not Document.objects.filter(ref="20").exists()    # not before the commit
    assert Document.objects.get(kind="test.case", ref="20").title == "定稿"
    assert refs(search("电信网络", user=personas["officer1"])) == ["20"]

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                index("test.case", 21, unit=unit, title="回滚", body="诈骗")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        unindex("test.case", 20)
    assert not Document.objects.filter(ref__in=["20", "21"]).exists()
    assert search("诈骗", user=personas["officer1"]).total == 0


@pytest.mark.django_db
def test_the_changes_of_one_transaction_are_written_in_one_batch(personas, test_kinds, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    from casecenter.search import indexing

    writes = []
    write_now = indexing._write_now
    monkeypatch.setattr(indexing, "_write_now", lambda docs: (writes.append(sorted(docs)), write_now(docs)))
    unit = personas["officer1"].unit
    with django_capture_on_commit_callbacks(execute=True):
        index("test.case", 40, unit=unit, title="甲", body="诈骗")
        transaction.on_commit(lambda: None)  # another app's callback in between
        index("test.case", 42, unit=unit, title="丙", body="诈骗")
        index("test.case", 40, unit=unit, title="甲二", body="诈骗")
    assert writes == [[("test.case", "40"), ("test.case", "42")]]
    assert Document.objects.get(kind="test.case", ref="40").title == "甲二"
    # As Django runs them after a real commit: its queue is emptied before the first callback runs.
    writes.clear()
    start = len(connection.run_on_commit)
    with transaction.atomic():
        index("test.case", 46, unit=unit, title="己", body="诈骗")
        index("test.case", 47, unit=unit, title="庚", body="诈骗")
        queue = connection.run_on_commit[start:]
    connection.run_on_commit = connection.run_on_commit[:start]
    for _sids, func, _robust in queue:
        func()
    assert writes == [[("test.case", "46"), ("test.case", "47")]]
    # The batch lives on this thread's connection, not on the proxy every thread shares.
    assert "_search_commit_flush" in transaction.get_connection().__dict__
    assert "_search_commit_flush" not in connection.__dict__

    writes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        index("test.case", 43, unit=unit, title="丁", body="诈骗")
        try:
            with transaction.atomic():
                index("test.case", 44, unit=unit, title="回滚", body="诈骗")
                unindex("test.case", 42)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        index("test.case", 45, unit=unit, title="戊", body="诈骗")
    # The rolled-back savepoint's changes are gone; the rest is written (in two batches: Django
    # rebuilt its queue at the rollback).
    assert sorted(key for batch in writes for key in batch) == [("test.case", "43"), ("test.case", "45")]
    assert sorted(Document.objects.filter(kind="test.case").values_list("ref", flat=True)) == [
        "40", "42", "43", "45", "46", "47"]


@pytest.mark.django_db
def test_a_failed_index_write_after_the_commit_is_logged_not_raised(personas, test_kinds, monkeypatch, caplog):
    from casecenter.search import indexing

    def fail(docs):
        raise RuntimeError("the index is locked")

    monkeypatch.setattr(indexing, "_write_now", fail)
    start = len(connection.run_on_commit)
    with transaction.atomic():
        index("test.case", 50, unit=personas["officer1"].unit, title="甲", body="诈骗")
        queue = connection.run_on_commit[start:]
    connection.run_on_commit = connection.run_on_commit[:start]
    with caplog.at_level("ERROR", logger="casecenter.search.indexing"):
        for _sids, func, _robust in queue:  # as Django runs them after the commit
            func()
    assert "search reindex" in caplog.text
    assert "_search_commit_batch" not in transaction.get_connection().__dict__  # nothing left for the next one


@pytest.mark.django_db
def test_reindexing_a_document_replaces_its_words(personas, test_kinds):
    unit = personas["officer1"].unit
    index_many([make_doc("test.case", 30, unit=unit, title="甲案", body="赌博")])
    index_many([make_doc("test.case", 30, unit=unit, title="甲案", body="吸食毒品")])
    assert search("赌博", user=personas["officer1"]).total == 0
    assert refs(search("毒品", user=personas["officer1"])) == ["30"]
    assert Document.objects.filter(ref="30").count() == 1


@pytest.mark.django_db
def test_beyond_the_cap_matches_come_newest_first_with_lower_bound_counts(personas, test_kinds, monkeypatch):
    from casecenter.search.backends import common, postgres, sqlite

    for module in (common, postgres, sqlite):
        monkeypatch.setattr(module, "MATCH_CAP", 4)
    unit = personas["officer1"].unit
    # The oldest document is the most relevant (the word three times, in its title too).
    index_many([make_doc("test.case", 0, unit=unit, title="赌博赌博", body="赌博")])
    index_many([make_doc("test.case", n, unit=unit, title=f"案件{n}", body="赌博" + "。" * n) for n in range(1, 4)])
    ranked = search("赌博", user=personas["officer1"])
    assert ranked.by_relevance and not ranked.capped and ranked.hits[0].ref == "0" and ranked.total == 4
    index_many([make_doc("test.case", n, unit=unit, title=f"案件{n}", body="赌博") for n in range(4, 12)])
    newest = search("赌博", user=personas["officer1"], limit=3)
    assert not newest.by_relevance and newest.capped and newest.total == 4 and newest.counts == {"test.case": 4}
    assert [h.ref for h in newest.hits] == ["11", "10", "9"]
    assert [h.ref for h in search("赌博", user=personas["officer1"], limit=3, offset=3).hits] == ["8", "7", "6"]
    assert [h.ref for h in search("赌博", user=personas["officer1"], limit=3, offset=9).hits] == ["2", "1", "0"]
