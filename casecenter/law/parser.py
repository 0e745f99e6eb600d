"""Parse the shipped texts of Chinese statutes into law → 编/章/节 → 条 → 款 → 项.

Every legal time limit elsewhere in the project cites an article (第X条) of one
specific version of a statute, so article numbering must be exact. The parser is
therefore strict: rather than guess, it raises :class:`ParseError` naming the line
whenever it cannot place a line with certainty (a skipped or repeated article
number, a numeral it cannot read, text that belongs to no article, a heading it
does not recognise).

Expected text format (the files in ``data/statutes``)::

    # 中华人民共和国刑事诉讼法            ← the law's full name
    1979年7月1日 第五届全国人民代表大会…  ← preamble: adoption / amendment history
    <!-- INFO END -->                     ← end of the preamble
    ## 第一编 总则                         ← headings; the level of '#' varies by
    ### 第一章 任务和基本原则               ← file, so the kind is read from 编/章/节
    第一条 为了……                          ← an article and its first paragraph (款)
    第二款 text …                          ← each further non-blank line is a 款…
    （一）……                               ← …or an item (项) of the preceding 款

This module is deliberately free of Django so it can be used by the data loader,
by management commands and by plain tests alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Article",
    "Division",
    "DivisionKind",
    "Item",
    "ParseError",
    "ParsedLaw",
    "chinese_numeral_to_int",
    "int_to_chinese_numeral",
    "parse_statute",
]

DivisionKind = Literal["part", "chapter", "section"]

# ---------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_UNITS = (("千", 1000), ("百", 100), ("十", 10), ("", 1))
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
# 〇 and ○ are written for zero in dates (二○○四年); accept them as 零 so a text
# typed with either still reads, while the canonical output always uses 零.
_ZERO_VARIANTS = str.maketrans({"〇": "零", "○": "零"})
_NUMERAL_CHARS = "零〇○一二三四五六七八九十百千"
MAX_NUMERAL = 9999


def int_to_chinese_numeral(value: int) -> str:
    """Return the standard legal-text numeral for 1..9999 (e.g. 119 → 一百一十九).

    The forms follow statute drafting practice: 10–19 drop the leading 一 (十, 十一),
    but inside larger numbers the 一 is kept (一百一十九); an inner run of zeros is
    written once as 零 (一百零五, 一千零一十); trailing zeros are not written (二十).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, got {type(value).__name__}")
    if not 1 <= value <= MAX_NUMERAL:
        raise ValueError(f"{value} is outside 1..{MAX_NUMERAL}")
    out: list[str] = []
    started = False
    zero_pending = False
    for unit, size in _UNITS:
        digit = value // size % 10
        if digit == 0:
            zero_pending = started
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        if not (unit == "十" and digit == 1 and not started):
            out.append(_DIGITS[digit])
        out.append(unit)
        started = True
    return "".join(out)


def chinese_numeral_to_int(numeral: str) -> int:
    """Read a Chinese numeral in 1..9999 written in its standard form.

    Only the canonical spelling produced by :func:`int_to_chinese_numeral` is
    accepted (apart from 〇/○ for 零): a misspelt number such as 十十 or 一百五 could
    be a typo for several articles, and citing the wrong article is worse than
    refusing the text. Raises ``ValueError`` for anything else.
    """
    if not isinstance(numeral, str) or not numeral:
        raise ValueError(f"unreadable Chinese numeral {numeral!r}")
    normalised = numeral.translate(_ZERO_VARIANTS)
    total = 0
    current = 0
    for char in normalised:
        if char in _DIGITS:
            current = _DIGITS.index(char)
        elif char in _UNIT_VALUES:
            total += (current or 1) * _UNIT_VALUES[char]
            current = 0
        else:
            raise ValueError(f"unreadable Chinese numeral {numeral!r}")
    value = total + current
    # Lenient accumulation accepts garbage like 十十 (=20); comparing with the
    # canonical spelling rejects every form that is not exactly one number.
    if not 1 <= value <= MAX_NUMERAL or int_to_chinese_numeral(value) != normalised:
        raise ValueError(f"unreadable Chinese numeral {numeral!r}")
    return value


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


class ParseError(ValueError):
    """A statute text that cannot be parsed exactly; ``line_no`` is 1-based."""

    def __init__(self, line_no: int, message: str, *, source: str = "") -> None:
        self.line_no = line_no
        self.message = message
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}line {line_no}: {message}")

    def __reduce__(self):
        # Keeps the error intact across process boundaries (parallel test
        # runners, worker pools), which rebuild exceptions from their args.
        return (_rebuild_parse_error, (self.line_no, self.message, self.source))


def _rebuild_parse_error(line_no: int, message: str, source: str) -> ParseError:
    return ParseError(line_no, message, source=source)


@dataclass
class Item:
    """One 项 of a paragraph, written （一）… in the text."""

    number: int
    numeral: str
    text: str

    @property
    def label(self) -> str:
        return f"（{self.numeral}）"


@dataclass
class Article:
    """One 条.

    ``paragraphs`` holds the 款 (the lead-in text of each); ``items[i]`` holds the
    项 belonging to ``paragraphs[i]`` (empty when that 款 has none). Items are not
    counted as paragraphs, matching how 第X条第Y款第Z项 is cited.

    ``sub_number`` is set for inserted articles (第六十七条之一 → number 67,
    sub_number 1) so that an amendment never renumbers the articles around it.
    """

    number: int
    numeral: str
    paragraphs: list[str]
    items: list[list[Item]]
    division_path: tuple[tuple[DivisionKind, int | None], ...] = ()
    sub_number: int | None = None
    sub_numeral: str = ""
    line_no: int = 0

    @property
    def key(self) -> tuple[int, int]:
        """Sort/lookup key: (67, 0) for 第六十七条, (67, 1) for 第六十七条之一."""
        return (self.number, self.sub_number or 0)

    @property
    def label(self) -> str:
        suffix = f"之{self.sub_numeral}" if self.sub_number else ""
        return f"第{self.numeral}条{suffix}"

    @property
    def text(self) -> str:
        """The article body, one line per 款 and per 项, in canonical form."""
        lines: list[str] = []
        for paragraph, items in zip(self.paragraphs, self.items, strict=True):
            if paragraph:
                lines.append(paragraph)
            lines.extend(f"{item.label}{item.text}" for item in items)
        return "\n".join(lines)


@dataclass
class Division:
    """A 编 (part), 章 (chapter) or 节 (section).

    ``number`` is None only for an unnumbered division such as the 附则 that closes
    the 刑事诉讼法 after 第五编. ``first_article``/``last_article`` are the article
    numbers the division spans (inclusive), filled in while parsing.
    """

    kind: DivisionKind
    number: int | None
    numeral: str
    title: str
    children: list[Division] = field(default_factory=list)
    first_article: int | None = None
    last_article: int | None = None
    line_no: int = 0

    @property
    def key(self) -> tuple[DivisionKind, int | None]:
        return (self.kind, self.number)

    @property
    def label(self) -> str:
        if self.number is None:
            return self.title
        return f"第{self.numeral}{_KIND_CHAR[self.kind]}"


@dataclass
class ParsedLaw:
    """A whole statute text: its title, preamble, division tree and articles."""

    title: str
    preamble: list[str]
    divisions: list[Division]
    articles: list[Article]
    source: str = ""
    _index: dict[tuple[int, int], Article] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._index = {article.key: article for article in self.articles}

    def article(self, number: int, sub_number: int | None = None) -> Article:
        """Look up 第number条 (or 第number条之sub_number); KeyError if absent."""
        return self._index[(number, sub_number or 0)]

    def iter_divisions(self) -> Iterator[Division]:
        """Every division, depth-first in text order."""
        stack = list(reversed(self.divisions))
        while stack:
            division = stack.pop()
            yield division
            stack.extend(reversed(division.children))


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_KIND_CHAR: dict[DivisionKind, str] = {"part": "编", "chapter": "章", "section": "节"}
_KIND_BY_CHAR: dict[str, DivisionKind] = {char: kind for kind, char in _KIND_CHAR.items()}
_DEPTH: dict[DivisionKind, int] = {"part": 0, "chapter": 1, "section": 2}

_NUM = f"[{_NUMERAL_CHARS}]+"
_INFO_END = "<!-- INFO END -->"
_TITLE_RE = re.compile(r"^#\s+(\S.*)$")
_HEADING_RE = re.compile(r"^#{2,6}\s*(.*)$")
_DIVISION_RE = re.compile(rf"^第\s*({_NUM})\s*([编章节])\s*(.*)$")
# Whitespace is tolerated around the numeral because the 刑事诉讼法 text has
# "第一百二十八 条侦查人员…" (a space before 条 and none after it).
_ARTICLE_RE = re.compile(rf"^第\s*({_NUM})\s*条(?:之({_NUM}))?\s*(.*)$")
# Something shaped like an article heading whose number is not a Chinese numeral
# (第6条, 第十A条): refused rather than silently glued onto the previous article.
_ARTICLE_LIKE_RE = re.compile(r"^第\s*([^\s条，。；：、]{1,12}?)\s*条(?:之\S{1,4}?)?(?:\s|$)")
_ITEM_RE = re.compile(rf"^[（(]\s*({_NUM})\s*[）)]\s*(.*)$")
_SUPPLEMENTARY_TITLE = "附则"
# Invisible characters that some sources leave on otherwise blank lines.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# A heading wrapped onto a second line is short and has no sentence punctuation;
# anything else after a heading is text that belongs to no article.
_CONTINUATION_MAX = 40
_SENTENCE_PUNCTUATION = set("。；：，;:,")


def _clean(line: str) -> str:
    return line.translate(_INVISIBLE).strip()


def _compact_title(title: str) -> str:
    """Drop the spacing typeset inside headings (通 则, 总  则 → 通则, 总则)."""
    return _CJK_GAP_RE.sub("", title.strip())


def _numeral(line_no: int, numeral: str, what: str, source: str) -> int:
    try:
        return chinese_numeral_to_int(numeral)
    except ValueError:
        raise ParseError(line_no, f"unreadable numeral {numeral!r} in {what}", source=source) from None


class _Parser:
    """Single pass over the lines; keeps the open division chain and article."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        # split("\n") rather than splitlines() so that line numbers always match
        # what an editor shows, whatever odd separators the text contains.
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.title = ""
        self.preamble: list[str] = []
        self.roots: list[Division] = []
        self.articles: list[Article] = []
        self.chain: list[Division] = []  # open divisions, outermost first
        self.article: Article | None = None
        self.heading_open: Division | None = None  # may still take a wrapped line

    def error(self, line_no: int, message: str) -> ParseError:
        return ParseError(line_no, message, source=self.source)

    # -- entry point ---------------------------------------------------------

    def parse(self) -> ParsedLaw:
        numbered = [(no, _clean(raw)) for no, raw in enumerate(self.lines, start=1)]
        content = [(no, line) for no, line in numbered if line]
        if not content:
            raise self.error(1, "the text is empty")
        title_no, title_line = content[0]
        match = _TITLE_RE.match(title_line)
        if not match:
            raise self.error(title_no, f"expected the law's title as '# …', found {title_line[:30]!r}")
        self.title = match.group(1).strip()

        body = self._split_preamble(content[1:])
        for line_no, line in body:
            self._line(line_no, line)

        if not self.articles:
            raise self.error(numbered[-1][0], "no articles (第一条 …) found")
        for division in self._walk(self.roots):
            if division.first_article is None:
                raise self.error(division.line_no, f"{division.label} contains no articles")
        return ParsedLaw(
            title=self.title,
            preamble=self.preamble,
            divisions=self.roots,
            articles=self.articles,
            source=self.source,
        )

    def _split_preamble(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Move the adoption/amendment history lines into ``self.preamble``.

        With the ``<!-- INFO END -->`` marker everything before it is preamble.
        Without it, the preamble runs up to the first heading or article.
        """
        for index, (_, line) in enumerate(lines):
            if line == _INFO_END:
                self.preamble = [text for _, text in lines[:index]]
                return lines[index + 1 :]
        for index, (_, line) in enumerate(lines):
            if line.startswith("#") or _ARTICLE_LIKE_RE.match(line) or _ARTICLE_RE.match(line):
                self.preamble = [text for _, text in lines[:index]]
                return lines[index:]
        self.preamble = [text for _, text in lines]
        return []

    # -- one line ------------------------------------------------------------

    def _line(self, line_no: int, line: str) -> None:
        if line.startswith("<!--") and line.endswith("-->"):
            return
        if line.startswith("#"):
            self._heading(line_no, line)
            return
        if _compact_title(line) == _SUPPLEMENTARY_TITLE:
            # The 刑事诉讼法 text has its closing 附则 as a bare line, not a heading.
            self._unnumbered_division(line_no, _SUPPLEMENTARY_TITLE)
            return
        article_match = _ARTICLE_RE.match(line)
        if article_match:
            self._article(line_no, article_match)
            return
        like = _ARTICLE_LIKE_RE.match(line)
        if like:
            raise self.error(line_no, f"unreadable numeral {like.group(1)!r} in article heading")
        self._text(line_no, line)

    def _heading(self, line_no: int, line: str) -> None:
        if _TITLE_RE.match(line):
            raise self.error(line_no, "a second '# …' title inside the text")
        heading = _HEADING_RE.match(line)
        content = heading.group(1).strip() if heading else ""
        match = _DIVISION_RE.match(content)
        if match:
            numeral, kind_char, title = match.groups()
            kind = _KIND_BY_CHAR[kind_char]
            number = _numeral(line_no, numeral, f"heading {content!r}", self.source)
            self._open(line_no, kind, number, int_to_chinese_numeral(number), _compact_title(title))
            return
        if _compact_title(content) == _SUPPLEMENTARY_TITLE:
            self._unnumbered_division(line_no, _SUPPLEMENTARY_TITLE)
            return
        raise self.error(line_no, f"unrecognised heading {line!r} (expected 第…编/章/节)")

    def _unnumbered_division(self, line_no: int, title: str) -> None:
        """An unnumbered division sits at the top level of the law's hierarchy."""
        kind: DivisionKind = self.roots[0].kind if self.roots else "chapter"
        self._open(line_no, kind, None, "", title)

    def _open(self, line_no: int, kind: DivisionKind, number: int | None, numeral: str, title: str) -> None:
        depth = _DEPTH[kind]
        # Close every open division at this depth or deeper.
        self.chain = [d for d in self.chain if _DEPTH[d.kind] < depth]
        parent = self.chain[-1] if self.chain else None
        if parent is None:
            if self.roots and _DEPTH[self.roots[0].kind] != depth:
                top = self.roots[0]
                where = "outside any" if depth > _DEPTH[top.kind] else "after"
                raise self.error(
                    line_no,
                    f"{_KIND_CHAR[kind]} heading {where} {_KIND_CHAR[top.kind]}: the law's top level is "
                    f"{_KIND_CHAR[top.kind]} (first at line {top.line_no})",
                )
            if kind == "section":
                raise self.error(line_no, "节 heading outside any 章")
            siblings = self.roots
        else:
            if kind == "section" and parent.kind != "chapter":
                raise self.error(line_no, f"节 heading directly inside {parent.label}, outside any 章")
            siblings = parent.children

        # Articles placed directly in the parent and then a sub-division would
        # leave those articles with an ambiguous place in the hierarchy.
        parent_path = tuple(d.key for d in self.chain)
        if self.articles and self.articles[-1].division_path == parent_path:
            last = self.articles[-1]
            raise self.error(
                line_no,
                f"{_KIND_CHAR[kind]} heading follows articles (up to {last.label}, line {last.line_no}) "
                f"that belong to no {_KIND_CHAR[kind]}",
            )

        if number is not None:
            expected = sum(1 for s in siblings if s.kind == kind and s.number is not None) + 1
            if number != expected:
                label = f"第{numeral}{_KIND_CHAR[kind]}"
                want = f"第{int_to_chinese_numeral(expected)}{_KIND_CHAR[kind]}"
                raise self.error(line_no, f"{label} out of sequence: expected {want}")
        division = Division(kind=kind, number=number, numeral=numeral, title=title, line_no=line_no)
        siblings.append(division)
        self.chain.append(division)
        self.article = None  # text after a heading never belongs to the previous article
        self.heading_open = division

    def _article(self, line_no: int, match: re.Match[str]) -> None:
        numeral, sub_numeral, first_text = match.groups()
        label = f"第{numeral}条" + (f"之{sub_numeral}" if sub_numeral else "")
        number = _numeral(line_no, numeral, f"article heading {label}", self.source)
        sub_number = (
            _numeral(line_no, sub_numeral, f"article heading {label}", self.source) if sub_numeral else None
        )

        previous = self.articles[-1] if self.articles else None
        if sub_number is None:
            expected = (previous.number if previous else 0) + 1
            ok = number == expected
            want = f"第{int_to_chinese_numeral(expected)}条"
        else:
            expected_sub = (previous.sub_number or 0) + 1 if previous else 1
            ok = previous is not None and number == previous.number and sub_number == expected_sub
            want = (
                f"第{previous.numeral}条之{int_to_chinese_numeral(expected_sub)} or "
                f"第{int_to_chinese_numeral(previous.number + 1)}条"
                if previous
                else "第一条"
            )
        if not ok:
            after = (
                f"after {previous.label} (line {previous.line_no})" if previous else "as the first article"
            )
            raise self.error(line_no, f"{label} {after}: expected {want}")

        article = Article(
            number=number,
            numeral=int_to_chinese_numeral(number),  # canonical even if the text wrote 〇
            paragraphs=[first_text] if first_text else [],
            items=[[]] if first_text else [],
            division_path=tuple(d.key for d in self.chain),
            sub_number=sub_number,
            sub_numeral=int_to_chinese_numeral(sub_number) if sub_number else "",
            line_no=line_no,
        )
        self.articles.append(article)
        for division in self.chain:
            if division.first_article is None:
                division.first_article = number
            division.last_article = number
        self.article = article
        self.heading_open = None

    def _text(self, line_no: int, line: str) -> None:
        if self.article is None:
            division = self.heading_open
            if (
                division is not None
                and len(line) <= _CONTINUATION_MAX
                and not _SENTENCE_PUNCTUATION.intersection(line)
            ):
                # A heading wrapped onto the next line (the 刑事诉讼法 has
                # "第四章 犯罪嫌疑人、被告人逃匿、死亡案件" / "违法所得的没收程序").
                division.title += _compact_title(line)
                return
            raise self.error(line_no, f"text outside any article: {line[:30]!r}")

        item = _ITEM_RE.match(line)
        if item is None:
            self.article.paragraphs.append(line)
            self.article.items.append([])
            return
        numeral, text = item.groups()
        number = _numeral(line_no, numeral, f"item （{numeral}）", self.source)
        if not self.article.paragraphs:
            # Items straight after a bare "第X条" heading: their 款 has no lead-in.
            self.article.paragraphs.append("")
            self.article.items.append([])
        items = self.article.items[-1]
        expected = len(items) + 1
        if number != expected:
            previous = f"after （{items[-1].numeral}）" if items else "as the first item"
            raise self.error(
                line_no,
                f"item （{numeral}） {previous} in {self.article.label}: "
                f"expected （{int_to_chinese_numeral(expected)}）",
            )
        items.append(Item(number=number, numeral=int_to_chinese_numeral(number), text=text))

    @staticmethod
    def _walk(divisions: list[Division]) -> Iterator[Division]:
        for division in divisions:
            yield division
            yield from _Parser._walk(division.children)


def parse_statute(text: str, *, source: str = "") -> ParsedLaw:
    """Parse one statute text; ``source`` (e.g. the file name) prefixes errors.

    Raises :class:`ParseError` for malformed input: an empty text, a missing
    title, article numbers that do not increase by exactly one, an unreadable
    numeral, text that belongs to no article, an unknown or out-of-sequence
    heading, or a division without articles.
    """
    return _Parser(text, source).parse()
