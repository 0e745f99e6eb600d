"""``casecenter search reindex`` and ``casecenter search kinds``."""

import io

import pytest
from django.core.management import CommandError, call_command

from casecenter.search import kinds
from casecenter.search.indexing import index_many, make_doc
from casecenter.search.models import Document
from casecenter.search.selectors import search


@pytest.fixture
def sourced_kind(personas):
    unit = personas["officer1"].unit
    state = {"docs": [make_doc("test.note", n, unit=unit, title=f"笔录{n}", body="询问笔录 盗窃") for n in range(5)]}
    kinds.register("test.note", label="Test notes", source=lambda: iter(state["docs"]),
                   count=lambda: len(state["docs"]), order=70)
    yield state
    kinds._KINDS.pop("test.note", None)


@pytest.mark.django_db
def test_reindex_rebuilds_a_kind_and_drops_what_its_source_no_longer_has(sourced_kind, personas):
    index_many([make_doc("test.note", 99, unit=personas["officer1"].unit, title="已删除", body="询问笔录")])
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "reindex", "test.note", stdout=out, stderr=err)
    assert "test.note: 5 documents" in out.getvalue()
    assert "100.0%" in err.getvalue() and "5/5" in err.getvalue()      # the progress bar's last state
    assert sorted(Document.objects.filter(kind="test.note").values_list("ref", flat=True)) == list("01234")
    assert search("询问笔录", user=personas["officer1"], kinds=["test.note"]).total == 5


@pytest.mark.django_db
def test_reindex_refuses_an_unknown_kind_naming_the_known_ones(sourced_kind):
    with pytest.raises(CommandError, match="unknown kind nope.kind; known kinds: .*test.note"):
        call_command("search", "reindex", "nope.kind")


@pytest.mark.django_db
def test_kinds_lists_the_registered_kinds_with_counts(sourced_kind):
    call_command("search", "reindex", "test.note", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("search", "kinds", stdout=out)
    assert any(line.startswith("test.note") and " 5 " in line for line in out.getvalue().splitlines())
    assert "law.article" in out.getvalue()


@pytest.mark.django_db
def test_reindex_with_worker_processes_indexes_the_same(sourced_kind, personas):
    unit = personas["officer1"].unit
    sourced_kind["docs"] = [make_doc("test.note", n, unit=unit, title=f"张三笔录{n}", body=f"询问笔录 盗窃 第{n}号",
                                     names=["张三"], identifiers=[f"1101051988{n:04d}"]) for n in range(300)]
    call_command("search", "reindex", "test.note", "--jobs", "2", stdout=io.StringIO(), stderr=io.StringIO())
    assert Document.objects.filter(kind="test.note").count() == 300
    officer = personas["officer1"]
    assert search("zhangsan 盗窃", user=officer, kinds=["test.note"]).total == 300
    assert [h.ref for h in search("19880123", user=officer, kinds=["test.note"]).hits] == ["123"]


@pytest.mark.django_db
def test_reindex_refuses_no_workers(sourced_kind):
    with pytest.raises(CommandError, match="--jobs"):
        call_command("search", "reindex", "--jobs", "0")
