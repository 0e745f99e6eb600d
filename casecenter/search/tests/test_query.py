"""Reading what users type: every malformed input becomes a plan or a clear message."""

import pytest

from casecenter.search.query import MAX_QUERY_CHARS, QueryError, parse


def test_chinese_words_are_segmented_like_documents():
    plan = parse("传唤 十二小时")
    assert [c.kind for c in plan.chunks] == ["text", "text"]
    assert plan.chunks[1].groups == (("十二",), ("小时",))


def test_single_characters_of_an_unknown_name_form_a_phrase():
    assert parse("张三").chunks[0].groups == (("张", "三"),)


def test_traditional_characters_fold_to_simplified():
    assert parse("取保候審").chunks == parse("取保候审").chunks


def test_latin_letters_are_pinyin_prefixes_and_digits_identifier_fragments():
    assert parse("ZhangSan").chunks[0].kind == "pinyin"
    assert parse("zhangsan").chunks[0].value == "zhangsan"
    chunk = parse("1101-0519").chunks[0]
    assert (chunk.kind, chunk.value) == ("identifier", "11010519")
    assert parse("京A12345").chunks[0].kind == "identifier"


@pytest.mark.parametrize("raw", ['"取保候审', '取保"候审', '"张三" AND OR NEAR(', "NOT 张三", "张三*", "a:b",
                                 "'; DROP TABLE search_document; --", "{title_words}: x", "^张三", "张三 -李四"])
def test_operators_and_stray_quotes_are_plain_characters(raw):
    plan = parse(raw)
    for chunk in plan.chunks:
        for word in chunk.words:
            assert word.isalnum(), word


@pytest.mark.parametrize("raw", ["", "   ", "*", '"', '""', "（）", "!!!", "(((", "*" * 50])
def test_nothing_searchable_is_a_clear_message(raw):
    with pytest.raises(QueryError) as error:
        parse(raw)
    assert str(error.value)


def test_a_very_long_query_is_refused_with_the_limit():
    with pytest.raises(QueryError, match=str(MAX_QUERY_CHARS)):
        parse("取" * 10_000)


def test_too_many_words_are_refused():
    with pytest.raises(QueryError):
        parse(" ".join(f"词{i}" for i in range(40)))
