"""Fixtures of the law tests: the shipped statutes (loaded by ``migrate``), small texts of our own."""

from __future__ import annotations

import pytest
from django.utils import translation

from casecenter.accounts.sessions import signed_in_client
from casecenter.law import loader
from casecenter.law.models import LawVersion

SMALL_LAW = """# 中华人民共和国测试法
2030年1月1日第十五届全国人民代表大会常务委员会第一次会议通过
<!-- INFO END -->
## 第一章 总则
第一条 为了测试，制定本法。
第二条 本法适用于下列情形：
（一）传唤；
（二）拘传。
依照前款规定办理。
## 第二章 附则
第三条 本法自2030年3月1日起施行。
第三条之一 插入的条文。
"""


@pytest.fixture(autouse=True)
def english():
    """These tests read messages and pages in English (the catalogue's Chinese is checked elsewhere)."""
    with translation.override("en"):
        yield


@pytest.fixture
def login_as(personas):
    """As the project's ``login_as``, with a browser that asks for English pages."""

    def _login(username: str):
        client = signed_in_client(personas[username])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


@pytest.fixture
def statutes(db) -> dict[str, LawVersion]:
    """The shipped statutes by code. ``migrate`` loads them into every new database; loading here is
    a no-op then, and only refills a database that a transactional test has flushed."""
    loader.load_shipped()
    return {v.law.code: v for v in LawVersion.objects.select_related("law")}


@pytest.fixture
def small_law_file(tmp_path):
    path = tmp_path / "测试法(2030-01-01).md"
    path.write_text(SMALL_LAW, encoding="utf-8")
    return path


@pytest.fixture
def flat_law_file(tmp_path):
    """A regulation without chapters: its articles hang directly on the law."""
    path = tmp_path / "平条例(2030-01-01).md"
    path.write_text("# 平条例\n第一条 第一条的内容。\n第二条 第二条的内容。\n", encoding="utf-8")
    return path
