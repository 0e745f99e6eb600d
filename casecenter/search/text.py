"""Preparing text for the index and for queries, the same way on both sides.

- ``normalise``: Unicode NFKC (full-width letters and digits become ASCII), traditional characters
  folded to simplified (OpenCC ``t2s``), lower case. Applied to documents and queries alike, so
  取保候審 finds 取保候审.
- ``words``: jieba segmentation in search mode (long words and the dictionary words inside them,
  so 刑事诉讼法 is found by 刑事诉讼法, 刑事 and 诉讼法), without the HMM guesser: an unknown
  name stays as single characters on both sides (张 三), which a phrase query matches exactly,
  where the guesser would glue a name to the next character (张三在) depending on its context.
- ``pinyin_keys``: full pinyin and initials of a name, each also by syllable (zhangsan, zs, zhang,
  san), with every reading of a heteronym.
- ``identifier_key``: an identifier with spaces and separators removed, upper case folded.

The segmenter loads jieba's dictionary, the shipped domain dictionary (``data/dictionary.txt``)
and the administrators' words (:class:`~casecenter.search.models.Term`) once per process; it
reloads when a word is added in this process and, in other processes, at most a minute later.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
import time
import unicodedata
from pathlib import Path

import opencc
import rjieba
from pypinyin import Style, pinyin

DICTIONARY = Path(__file__).parent / "data" / "dictionary.txt"
TERMS_RECHECK_SECONDS = 60

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NOT_WORD = re.compile(rf"[^{_CJK}0-9a-z]+")          # punctuation and spaces: never part of a word
_LONG_TOKEN = re.compile(r"[^ ]{3,}")                # a cut_all word of three characters or more
HAS_CJK = re.compile(f"[{_CJK}]")
_IDENT_DROP = re.compile(r"[\s\-_/\\.,:;·•()（）【】\[\]]+")


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _traditional() -> re.Pattern:
    """The characters that t2s changes, found once by converting every CJK character: most texts
    have none, and a regular-expression search is far cheaper than a conversion."""
    chars = "".join(chr(c) for block in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
                    for c in range(block[0], block[1] + 1))
    converted = _converter().convert(chars)
    if len(converted) != len(chars):   # a phrase rule changed the length: fall back to always converting
        return re.compile(f"[{_CJK}]")
    changed = "".join(a for a, b in zip(chars, converted, strict=True) if a != b)
    return re.compile("[" + re.escape(changed) + "]")


def has_traditional(text: str) -> bool:
    return bool(_traditional().search(text))


def normalise(text: str) -> str:
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _traditional().search(text):
        text = _converter().convert(text)
    return text.lower()


def identifier_key(value: str) -> str:
    return _IDENT_DROP.sub("", normalise(value))


def identifier_keys(values) -> list[str]:
    """``identifier_key`` of each value, normalised in one call."""
    if not values:
        return []
    return [k for k in (_IDENT_DROP.sub("", v) for v in normalise("\n".join(values)).split("\n")) if k]


class Segmenter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba: rjieba.Jieba | None = None
        self._terms_version: tuple | None = None
        self._checked_at = 0.0
        self.generation = 0          # goes up whenever the dictionary is reloaded

    def _load(self) -> rjieba.Jieba:
        jieba = rjieba.Jieba()
        for word, freq in shipped_words():
            jieba.add_word(word, freq, None)
        for word, freq in _admin_words():
            jieba.add_word(normalise(word), freq, None)
        return jieba

    def engine(self) -> rjieba.Jieba:
        now = time.monotonic()
        if self._jieba is not None and now - self._checked_at < TERMS_RECHECK_SECONDS:
            return self._jieba
        with self._lock:
            version = _terms_version()
            if self._jieba is None or version != self._terms_version:
                self._jieba = self._load()
                self._terms_version = version
                self.generation += 1
            self._checked_at = now
            return self._jieba

    def freeze(self) -> None:
        """Never look for new dictionary words again (a forked worker must not use the database)."""
        self.engine()
        self._checked_at = float("inf")

    def reset(self) -> None:
        with self._lock:
            self._jieba = None
            self._terms_version = None

    def words(self, normalised: str, *, clean: bool = False) -> list[str]:
        """The index words of normalised text, in order (search mode: sub-words before a long word)."""
        if not normalised:
            return []
        # Punctuation becomes a space first (it is a boundary for jieba anyway), so that every token
        # jieba returns is either a clean word or blank, and one split drops the blanks.
        cleaned = normalised if clean else _NOT_WORD.sub(" ", normalised)
        return " ".join(self.engine().cut_for_search(cleaned, False)).split()

    def index_words(self, normalised: str) -> list[str]:
        """``words``, then the longer dictionary words that straddle two of them, appended (so that
        the phrase positions of the others stay as they were). 张三故意伤害案 is cut 故意 伤害案, and
        被取保候审人 被 取保 候审人, yet they are searched for as 故意伤害 and 取保候审: a query is cut in
        precise mode, and its words must be tokens of the text whatever the text's context did."""
        cleaned = _NOT_WORD.sub(" ", normalised)
        words = self.words(cleaned, clean=True)
        if not words:
            return words
        long_ones = _LONG_TOKEN.findall(" ".join(self.engine().cut_all(cleaned)))
        return words + sorted(set(long_ones).difference(words))

    def query_words(self, normalised: str) -> list[str]:
        """A query fragment's words (precise mode: one reading, the longest dictionary words)."""
        if not normalised:
            return []
        return " ".join(self.engine().cut(_NOT_WORD.sub(" ", normalised), False)).split()


SEGMENTER = Segmenter()


@functools.cache
def shipped_words() -> tuple[tuple[str, int], ...]:
    entries = []
    if DICTIONARY.exists():
        for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 20000
            entries.append((normalise(parts[0]), freq))
    return tuple(entries)


def _admin_words() -> list[tuple[str, int]]:
    from .models import Term

    try:
        return list(Term.objects.values_list("word", "frequency"))
    except Exception:  # noqa: BLE001 - before migrate (a fresh database) there are no admin words yet
        return []


def _terms_version() -> tuple:
    from django.db.models import Count, Max

    from .models import Term

    try:
        agg = Term.objects.aggregate(n=Count("id"), last=Max("created_at"), top=Max("id"))
        return (agg["n"], agg["last"], agg["top"])
    except Exception:  # noqa: BLE001 - see _admin_words
        return (0, None, None)


_NOT_ALNUM = re.compile(r"[^\w]+")


def words_text(text: str) -> str:
    """The space-separated index words of raw text (see ``Segmenter.index_words``).

    Punctuation goes first: it is no part of any word, and without the full-width commas and
    brackets of Chinese text most texts need no NFKC pass at all (full-width letters and digits
    are word characters and are kept for it)."""
    return " ".join(SEGMENTER.index_words(normalise(_NOT_ALNUM.sub(" ", text))))


def _readings(name: str) -> list[list[str]]:
    """The syllables of every reading of the Chinese characters of ``name`` (heteronyms give several)."""
    chars = [c for c in normalise(name) if HAS_CJK.match(c)]
    if not chars:
        return []
    readings = pinyin("".join(chars), style=Style.NORMAL, heteronym=True, strict=False)
    # Heteronyms multiply the combinations; a name has few characters, but cap it all the same.
    combos = itertools.islice(itertools.product(*[r[:3] for r in readings]), 16)
    return [syllables for combo in combos if (syllables := [s for s in combo if s.isascii() and s.isalpha()])]


@functools.lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, ...]:
    """Pinyin keys of a personal name: full and initials, whole and by syllable, every reading."""
    keys: list[str] = []
    for syllables in _readings(name):
        keys.append("".join(syllables))
        keys.append("".join(s[0] for s in syllables))
        keys.extend(syllables)
    return tuple(dict.fromkeys(keys))


@functools.lru_cache(maxsize=65536)
def _pinyin_tails(name: str) -> tuple[str, ...]:
    """The pinyin and initials of a name from each of its syllables on (李红梅: lihongmei, hongmei,
    mei, lhm, hm, m): a typed given name finds it as well as the whole name."""
    tails: list[str] = []
    for syllables in _readings(name):
        for start in range(len(syllables)):
            tails.append("".join(syllables[start:]))
            tails.append("".join(s[0] for s in syllables[start:]))
    return tuple(dict.fromkeys(tails))


def label_keys(label: str) -> str:
    """The words a picker's option is found by besides its label: the pinyin of its Chinese
    characters, whole, as initials and by syllable (东城分局: ``dongchengfenju``, ``dcfj``, …)."""
    return " ".join(pinyin_keys(label))


def name_matches(query: str, name: str) -> bool:
    """Does a typed ``query`` find ``name``: Chinese characters anywhere in it (traditional ones
    folded), or the start of its pinyin or initials from any syllable on (``zhangs``, ``zs``,
    ``sanfeng``)."""
    typed = normalise(query).replace(" ", "")
    if not typed:
        return True
    if HAS_CJK.search(typed):
        return typed in normalise(name)
    return any(tail.startswith(typed) for tail in _pinyin_tails(name))
