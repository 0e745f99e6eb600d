"""Tests for the statute parser and the shipped statute data (no database).

Time limits elsewhere cite 第X条 of a particular version, so these tests pin the
article counts of every shipped text and check that malformed texts are refused
with the offending line named rather than parsed approximately.
"""

from __future__ import annotations

import json
import pickle
import re
from datetime import date
from pathlib import Path

import pytest

from casecenter.law.parser import (
    Article,
    ParsedLaw,
    ParseError,
    chinese_numeral_to_int,
    int_to_chinese_numeral,
    parse_statute,
)

STATUTES_DIR = Path(__file__).resolve().parent.parent / "data" / "statutes"
CATALOG = json.loads((STATUTES_DIR / "catalog.json").read_text(encoding="utf-8"))["statutes"]
BY_CODE = {entry["code"]: entry for entry in CATALOG}

# Article totals, each checked by reading the last article of the text.
KNOWN_TOTALS = {
    "cpl": 308,  # 刑事诉讼法 2018, 第三百零八条 (军队保卫部门…)
    "mps-criminal-rules": 388,  # 刑规 2020, 第三百八十八条 (施行)
    "mps-admin-rules": 266,  # 行规, 第二百六十六条 (施行)
    "public-security-penalties": 119,  # 治安管理处罚法 2012, 第一百一十九条 (施行)
    "continued-questioning": 44,  # 盘问规定 2004, 第四十四条 (施行)
    "procuratorate-rules": 684,  # 检规 2019, 第六百八十四条 (施行)
    "minors-protection": 132,  # 未保法 2024, 第一百三十二条 (施行)
    "administrative-coercion": 71,  # 行政强制法 2011, 第七十一条 (施行)
    "administrative-penalty": 86,  # 行政处罚法 2021, 第八十六条 (施行)
    "detention-centre": 35,  # 拘留所条例 2012, 第三十五条 (施行)
    "juvenile-delinquency-prevention": 68,  # 预防未成年人犯罪法 2020, 第六十八条 (施行)
}

SHORT_NAMES = {
    "中华人民共和国刑事诉讼法": "刑诉法",
    "公安机关办理刑事案件程序规定": "刑规",
    "公安机关办理行政案件程序规定": "行规",
    "中华人民共和国治安管理处罚法": "治安法",
    "公安机关适用继续盘问规定": "盘问规定",
    "人民检察院刑事诉讼规则": "检规",
    "中华人民共和国未成年人保护法": "未保法",
    "中华人民共和国行政强制法": "行政强制法",
    "中华人民共和国行政处罚法": "行政处罚法",
    "拘留所条例": "拘留所条例",
    "中华人民共和国预防未成年人犯罪法": "预防未成年人犯罪法",
}

_cache: dict[str, ParsedLaw] = {}


def law(code: str) -> ParsedLaw:
    """Parse each shipped text once; the large ones take a noticeable moment."""
    if code not in _cache:
        path = STATUTES_DIR / BY_CODE[code]["file"]
        _cache[code] = parse_statute(path.read_text(encoding="utf-8"), source=path.name)
    return _cache[code]


def raw_text(code: str) -> str:
    return (STATUTES_DIR / BY_CODE[code]["file"]).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------


def test_catalog_lists_every_shipped_text_once():
    shipped = sorted(p.name for p in STATUTES_DIR.glob("*.md"))
    assert sorted(entry["file"] for entry in CATALOG) == shipped
    assert len(shipped) == 11
    assert set(BY_CODE) == set(KNOWN_TOTALS)


def test_catalog_codes_are_ascii_slugs_and_short_names_match():
    for entry in CATALOG:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", entry["code"]), entry["code"]
        assert entry["short_name"] == SHORT_NAMES[entry["full_name"]]
    assert len({entry["short_name"] for entry in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize("code", sorted(KNOWN_TOTALS))
def test_catalog_entry_agrees_with_the_text(code):
    entry = BY_CODE[code]
    parsed = law(code)
    assert parsed.title == entry["full_name"]
    assert entry["article_count"] == len(parsed.articles)

    version = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.md$", entry["file"]).group(1)
    assert entry["version_date"] == version
    effective = date.fromisoformat(entry["effective_date"])

    clause = entry["commencement_clause"]
    if clause is not None:
        # The stated commencement date really is in that article's text.
        stated = date.fromisoformat(clause["date"])
        assert _mentions_date(parsed.article(clause["article"]).text, stated)
        assert "施行" in parsed.article(clause["article"]).text
    if entry["effective_date_basis"] == "text":
        assert clause is not None
        assert effective == date.fromisoformat(clause["date"])
        assert effective >= date.fromisoformat(version)
    else:
        assert entry["effective_date_basis"] == "version-date"
        assert entry["effective_date"] == version
        # Only when the text states no commencement of its own version.
        assert clause is None or date.fromisoformat(clause["date"]) < date.fromisoformat(version)

    if entry["issuing_body"]:
        assert any(entry["issuing_body"] in line for line in parsed.preamble)


def _mentions_date(text: str, day: date) -> bool:
    """True if the text names ``day`` in Arabic, full-width or Chinese digits."""
    ascii_text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if f"{day.year}年{day.month}月{day.day}日" in ascii_text:
        return True
    year = "".join("〇一二三四五六七八九"[int(d)] for d in str(day.year))
    chinese = f"{year}年{int_to_chinese_numeral(day.month)}月{int_to_chinese_numeral(day.day)}日"
    return chinese in text.replace("○", "〇").replace("零", "〇")


# ---------------------------------------------------------------------------
# Shipped texts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(KNOWN_TOTALS))
def test_shipped_text_parses_with_contiguous_articles(code):
    parsed = law(code)
    numbers = [article.number for article in parsed.articles]
    assert numbers == list(range(1, KNOWN_TOTALS[code] + 1))
    assert all(article.sub_number is None for article in parsed.articles)  # no 之一 articles shipped
    assert parsed.articles[-1].numeral == int_to_chinese_numeral(KNOWN_TOTALS[code])
    for article in parsed.articles:
        assert article.paragraphs, article.label
        assert len(article.items) == len(article.paragraphs)
        assert article.text.strip(), article.label


@pytest.mark.parametrize("code", sorted(KNOWN_TOTALS))
def test_article_count_matches_an_independent_line_count(code):
    # A cruder reading of the file: every line that starts 第…条 is an article.
    heads = re.findall(r"^第\s*[零〇○一二三四五六七八九十百千]+\s*条", raw_text(code), flags=re.MULTILINE)
    assert len(heads) == KNOWN_TOTALS[code]


@pytest.mark.parametrize("code", sorted(KNOWN_TOTALS))
def test_division_tree_is_consistent(code):
    parsed = law(code)
    for division in parsed.iter_divisions():
        assert division.title, division.label
        assert " " not in division.title
        assert division.first_article is not None
        assert division.first_article <= division.last_article
        for child in division.children:
            assert (
                division.first_article <= child.first_article <= child.last_article <= division.last_article
            )
    for article in parsed.articles:
        for kind, number in article.division_path:
            matches = [d for d in parsed.iter_divisions() if d.key == (kind, number)]
            assert any(d.first_article <= article.number <= d.last_article for d in matches)


def test_cpl_article_67_is_about_bail():
    article = law("cpl").article(67)
    assert article.label == "第六十七条"
    assert "取保候审" in article.paragraphs[0]
    assert [item.numeral for item in article.items[0]] == ["一", "二", "三", "四"]
    assert article.paragraphs[1] == "取保候审由公安机关执行。"


def test_cpl_article_119_limits_summons_to_twelve_hours():
    article = law("cpl").article(119)
    assert "传唤" in article.text
    assert "十二小时" in article.text
    assert article.paragraphs[1].startswith("传唤、拘传持续的时间不得超过十二小时")
    # 第二编 立案、侦查和提起公诉 / 第二章 侦查 / 第二节 讯问犯罪嫌疑人
    assert article.division_path == (("part", 2), ("chapter", 2), ("section", 2))
    section = next(d for d in law("cpl").iter_divisions() if d.title == "讯问犯罪嫌疑人")
    assert section.first_article <= 119 <= section.last_article


def test_cpl_structure_quirks_are_read_correctly():
    cpl = law("cpl")
    parts = cpl.divisions
    assert [p.label for p in parts] == ["第一编", "第二编", "第三编", "第四编", "第五编", "附则"]
    assert parts[-1].number is None
    assert (parts[-1].first_article, parts[-1].last_article) == (308, 308)
    assert cpl.article(308).division_path == (("part", None),)
    assert cpl.article(307).text == "人民检察院对强制医疗的决定和执行实行监督。"
    # 第四编 执行 has articles directly, no chapters.
    assert parts[3].children == []
    assert cpl.article(259).division_path == (("part", 4),)
    # Chapter numbering restarts in each part.
    assert [c.number for c in parts[4].children] == [1, 2, 3, 4, 5]
    assert parts[4].children[3].title == "犯罪嫌疑人、被告人逃匿、死亡案件违法所得的没收程序"
    # "第一百二十八 条侦查人员…" has a stray space.
    assert cpl.article(128).paragraphs[0].startswith("侦查人员对于与犯罪有关的场所")


def test_public_security_penalties_last_article():
    article = law("public-security-penalties").article(119)
    assert "本法自2006年3月1日起施行" in article.text
    assert article.division_path == (("chapter", 6),)


def test_headings_lose_typesetting_spaces():
    titles = [d.title for d in law("procuratorate-rules").divisions]
    assert titles[0] == "通则"
    assert law("juvenile-delinquency-prevention").divisions[0].title == "总则"


def test_half_width_item_markers_are_items():
    article = law("detention-centre").article(2)
    assert [item.text for item in article.items[0]] == [
        "被公安机关、国家安全机关依法给予拘留行政处罚的人；",
        "被人民法院依法决定拘留的人。",
    ]


def test_preamble_is_kept_and_invisible_lines_are_ignored():
    minors = law("minors-protection")
    assert minors.preamble[0].startswith("1991年9月4日")
    assert len(minors.preamble) == 5
    assert law("continued-questioning").preamble == []


# ---------------------------------------------------------------------------
# Numerals
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "numeral"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (67, "六十七"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (119, "一百一十九"),
        (308, "三百零八"),
        (684, "六百八十四"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2019, "二千零一十九"),
        (9999, "九千九百九十九"),
    ],
)
def test_numeral_forms(value, numeral):
    assert int_to_chinese_numeral(value) == numeral
    assert chinese_numeral_to_int(numeral) == value


def test_numeral_round_trip_1_to_9999():
    for value in range(1, 10000):
        assert chinese_numeral_to_int(int_to_chinese_numeral(value)) == value


def test_zero_variants_are_read_as_zero():
    assert chinese_numeral_to_int("一百〇五") == 105
    assert chinese_numeral_to_int("一百○五") == 105


@pytest.mark.parametrize(
    "bad",
    ["", "零", "十十", "一一", "百", "一十一", "一百五", "二十零", "两", "一万", "6", "一百零零五", "千零一"],
)
def test_unreadable_numerals_are_refused(bad):
    with pytest.raises(ValueError, match="unreadable"):
        chinese_numeral_to_int(bad)


@pytest.mark.parametrize("bad", [0, -1, 10000])
def test_out_of_range_ints_are_refused(bad):
    with pytest.raises(ValueError):
        int_to_chinese_numeral(bad)


@pytest.mark.parametrize("bad", [True, 1.0, "1"])
def test_non_ints_are_refused(bad):
    with pytest.raises(TypeError):
        int_to_chinese_numeral(bad)


# ---------------------------------------------------------------------------
# Synthetic texts: well-formed
# ---------------------------------------------------------------------------

GOOD = """\
# 示例法

2020年1月1日 示例会议通过

<!-- INFO END -->

## 第一章 总 则

第一条 目的。

第二条 有下列情形之一的：

（一）甲；

(二) 乙。

前款规定以外的情形。

第二条之一 插入的条文。

第二条之二 又一条插入的条文。

## 第二章 附则

### 第一节 一般规定

第三条
本法自公布之日起施行。
"""


def test_well_formed_text_with_inserted_articles():
    parsed = parse_statute(GOOD, source="示例法.md")
    assert parsed.title == "示例法"
    assert parsed.preamble == ["2020年1月1日 示例会议通过"]
    assert [a.label for a in parsed.articles] == ["第一条", "第二条", "第二条之一", "第二条之二", "第三条"]
    inserted = parsed.article(2, 1)
    assert (inserted.number, inserted.sub_number, inserted.key) == (2, 1, (2, 1))
    assert parsed.article(2).paragraphs == ["有下列情形之一的：", "前款规定以外的情形。"]
    assert [[i.text for i in items] for items in parsed.article(2).items] == [["甲；", "乙。"], []]
    assert parsed.article(2).text == "有下列情形之一的：\n（一）甲；\n（二）乙。\n前款规定以外的情形。"
    # A bare "第三条" heading takes its first paragraph from the next line.
    assert parsed.article(3).paragraphs == ["本法自公布之日起施行。"]
    assert parsed.article(3).division_path == (("chapter", 2), ("section", 1))
    chapter_one = parsed.divisions[0]
    assert (chapter_one.title, chapter_one.first_article, chapter_one.last_article) == ("总则", 1, 2)
    with pytest.raises(KeyError):
        parsed.article(4)


def test_preamble_without_marker_runs_to_the_first_heading():
    parsed = parse_statute("# 示例\n\n2020年 通过\n\n第一条 甲。\n\n第二条 乙。")
    assert parsed.preamble == ["2020年 通过"]
    assert parsed.divisions == []
    assert [a.number for a in parsed.articles] == [1, 2]


def test_crlf_line_endings():
    parsed = parse_statute("# 示例\r\n\r\n第一条 甲。\r\n\r\n乙。\r\n")
    assert parsed.article(1).paragraphs == ["甲。", "乙。"]


# ---------------------------------------------------------------------------
# Synthetic texts: malformed → ParseError naming the line
# ---------------------------------------------------------------------------


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_statute(text, source="bad.md")
    return caught.value


@pytest.mark.parametrize(
    ("text", "line_no", "fragment"),
    [
        ("", 1, "empty"),
        ("  \n\u200b\n\n", 1, "empty"),
        ("第一条 甲。", 1, "title"),
        ("\n\n示例法\n第一条 甲。", 3, "title"),
        ("# 示例\n\n2020年 通过", 3, "no articles"),
        # Article numbers that do not increase by exactly one.
        ("# 示例\n第一条 甲。\n第三条 丙。", 3, "expected 第二条"),
        ("# 示例\n第一条 甲。\n第二条 乙。\n第二条 乙。", 4, "expected 第三条"),
        ("# 示例\n第二条 乙。", 2, "expected 第一条"),
        ("# 示例\n第一条 甲。\n第一条之二 乙。", 3, "expected 第一条之一"),
        ("# 示例\n第一条之一 乙。", 2, "expected 第一条"),
        ("# 示例\n第一条 甲。\n第二条 乙。\n第一条之一 丙。", 4, "expected 第二条之一"),
        # Unreadable numerals.
        ("# 示例\n第一条 甲。\n第十十条 乙。", 3, "unreadable numeral '十十'"),
        ("# 示例\n第一条 甲。\n\n第2条 乙。", 4, "unreadable numeral '2'"),
        ("# 示例\n## 第一一章 总则\n第一条 甲。", 2, "unreadable numeral"),
        ("# 示例\n第一条 甲：\n（一十）乙。", 3, "unreadable numeral"),
        # Text that belongs to no article.
        (
            "# 示例\n<!-- INFO END -->\n这是一段游离的文字，不属于任何条文。\n第一条 甲。",
            3,
            "outside any article",
        ),
        ("# 示例\n<!-- INFO END -->\n## 第一章 总则\n这是正文。\n第一条 甲。", 4, "outside any article"),
        (
            "# 示例\n## 第一章 总则\n第一条 甲。\n## 第二章 其他\n游离文字。\n第二条 乙。",
            5,
            "outside any article",
        ),
        # Headings.
        ("# 示例\n## 总则\n第一条 甲。", 2, "unrecognised heading"),
        ("# 示例\n# 另一部法\n第一条 甲。", 2, "second"),
        ("# 示例\n## 第一节 一般规定\n第一条 甲。", 2, "outside any 章"),
        ("# 示例\n## 第一章 总则\n第一条 甲。\n## 第三章 附则\n第二条 乙。", 4, "expected 第二章"),
        ("# 示例\n## 第一章 总则\n## 第二章 附则\n第一条 甲。", 2, "no articles"),
        ("# 示例\n## 第一章 总则\n第一条 甲。\n## 第一编 分则\n第二条 乙。", 4, "top level"),
        (
            "# 示例\n## 第一编 总则\n### 第一章 总则\n第一条 甲。\n### 第三章 附则\n第二条 乙。",
            5,
            "expected 第二章",
        ),
        # A division opening after articles that sit directly in its parent.
        ("# 示例\n第一条 甲。\n## 第一章 总则\n第二条 乙。", 3, "belong to no 章"),
        ("# 示例\n## 第一编 总则\n第一条 甲。\n### 第一章 一般规定\n第二条 乙。", 4, "belong to no 章"),
        # Items out of sequence.
        ("# 示例\n第一条 有下列情形之一的：\n（一）甲；\n（三）丙。", 4, "expected （二）"),
        ("# 示例\n第一条 有下列情形之一的：\n（二）乙。", 3, "expected （一）"),
    ],
)
def test_malformed_text_names_the_line(text, line_no, fragment):
    error = _error(text)
    assert error.line_no == line_no, str(error)
    assert fragment in error.message, str(error)
    assert str(error).startswith(f"bad.md: line {line_no}: ")


def test_parse_error_points_at_the_line_in_a_real_text():
    # Drop 第六十八条 from the 刑事诉讼法: the error names the line of 第六十九条.
    lines = raw_text("cpl").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("第六十八条"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第六十九条"))
    damaged = lines[:start] + lines[end:]
    error = _error("\n".join(damaged))
    assert error.line_no == start + 1
    assert damaged[error.line_no - 1].startswith("第六十九条")
    assert "第六十九条 after 第六十七条" in error.message


def test_articles_are_plain_dataclasses():
    article = law("cpl").article(1)
    assert isinstance(article, Article)
    assert article.key == (1, 0)


def test_wrapped_heading_is_joined_but_a_sentence_is_not():
    parsed = parse_statute("# 示例\n## 第一章 犯罪嫌疑人逃匿\n\n案件的没收程序\n\n第一条 甲。")
    assert parsed.divisions[0].title == "犯罪嫌疑人逃匿案件的没收程序"
    error = _error("# 示例\n## 第一章 总则\n本章规定没收程序。\n第一条 甲。")
    assert error.line_no == 3


def test_parse_error_survives_pickling():
    error = pickle.loads(pickle.dumps(_error("# 示例\n第二条 乙。")))
    assert (error.line_no, error.source) == (2, "bad.md")
    assert str(error).startswith("bad.md: line 2: ")
