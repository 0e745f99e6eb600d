"""The shipped domain dictionary (data/dictionary.txt): jieba's user-dictionary format, no word twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rjieba

DICTIONARY = Path(__file__).resolve().parents[1] / "data" / "dictionary.txt"
TAGS = {"n", "nz", "v"}


def entries() -> list[tuple[int, str, int, str]]:
    """(line number, word, frequency, tag) of every entry; comment lines only at the top."""
    rows = []
    for number, line in enumerate(DICTIONARY.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#") and not rows:
            continue
        fields = line.split(" ")
        assert len(fields) in (2, 3), f"line {number} is not 'word freq [tag]': {line!r}"
        word, freq, tag = fields[0], fields[1], fields[2] if len(fields) == 3 else ""
        assert re.fullmatch(r"[^\s#]+", word), f"line {number}: a word without spaces: {line!r}"
        assert re.fullmatch(r"[1-9][0-9]*", freq), f"line {number}: the frequency is a positive integer: {line!r}"
        rows.append((number, word, int(freq), tag))
    return rows


def test_every_line_is_a_word_a_frequency_and_a_known_tag():
    rows = entries()
    assert len(rows) >= 400
    assert {tag for *_, tag in rows} <= TAGS
    assert {freq for _, _, freq, _ in rows} == {20000}


def test_no_word_is_listed_twice():
    seen: dict[str, int] = {}
    for number, word, _, _ in entries():
        assert word not in seen, f"{word} is on line {seen[word]} and line {number}"
        seen[word] = number


def test_the_file_is_utf8_without_a_byte_order_mark_and_ends_with_a_newline():
    raw = DICTIONARY.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\n")
    raw.decode("utf-8")


def test_it_names_at_least_150_criminal_offences_by_their_charge_names():
    charges = [word for _, word, _, tag in entries() if word.endswith("罪") and tag == "nz"]
    assert len(charges) >= 150


@pytest.mark.parametrize("word", [
    "办案区", "执法办案管理中心", "候问室", "讯问室", "询问室", "人身安全检查", "涉案财物", "随身物品",
    "取保候审", "监视居住", "指定居所监视居住", "刑事拘留", "行政拘留", "拘传", "传唤", "继续盘问",
    "提请批准逮捕", "移送审查起诉", "受案登记", "立案", "不予立案", "法制审核", "扣押清单", "鉴定意见",
    "电子数据", "同步录音录像", "呈请拘留报告书", "拘留证", "提请批准逮捕书", "起诉意见书",
    "故意伤害罪", "盗窃罪", "诈骗罪", "危险驾驶罪", "帮助信息网络犯罪活动罪", "寻衅滋事罪", "掩饰隐瞒犯罪所得罪",
    "殴打他人", "故意损毁财物", "扰乱公共秩序", "赌博", "吸食毒品", "卖淫", "嫖娼",
])
def test_a_key_word_is_present(word):
    assert word in {w for _, w, _, _ in entries()}


def test_the_words_stay_whole_when_loaded_into_jieba():
    segmenter = rjieba.Jieba()
    for _, word, freq, tag in entries():
        segmenter.add_word(word, freq, tag or None)
    text = "犯罪嫌疑人李某涉嫌帮助信息网络犯罪活动罪，被带至执法办案管理中心候问室，依法指定居所监视居住。"
    words = segmenter.cut(text)
    for word in ("帮助信息网络犯罪活动罪", "执法办案管理中心", "候问室", "指定居所监视居住"):
        assert word in words, words
