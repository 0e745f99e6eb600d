"""Reading what a user typed into a search plan that no input can break.

The user's text never reaches the database's query language: it is cut into chunks (words
separated by spaces, or a "quoted phrase"), each chunk is normalised and segmented exactly like
the documents, and the backends quote every resulting word themselves. So FTS operators, stray
quotes, a lone ``*`` or brackets are just characters; what remains is an AND of chunks:

- a Chinese chunk: its words must all occur; runs of single characters (an unknown name split
  into 张 三) must occur side by side, as must all the words of a quoted phrase;
- a Latin-letter chunk (``zhangsan``, ``zs``): a prefix of a name's pinyin, or a word;
- an identifier chunk (letters and digits with at least one digit, three characters or more):
  a fragment of an identifier (ID, case, phone or plate number), or a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import text

MAX_QUERY_CHARS = 200
MAX_CHUNKS = 12
MIN_IDENTIFIER_FRAGMENT = 3

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_STRAY = re.compile(r'["“”「」]')
_LATIN = re.compile(r"^[a-z]+$")
_ALNUM = re.compile(r"^[0-9a-z]+$")


class QueryError(ValueError):
    """A query that cannot be run; the message is translated and shown to the user."""


@dataclass(frozen=True)
class Chunk:
    kind: str                          # "text", "pinyin" or "identifier"
    groups: tuple[tuple[str, ...], ...]  # text: AND of phrases (a phrase is a tuple of words)
    value: str = ""                    # pinyin prefix or identifier fragment
    text: str = ""                     # the chunk as typed, normalised: what highlighting marks

    @property
    def words(self) -> list[str]:
        return [w for group in self.groups for w in group]


@dataclass(frozen=True)
class Plan:
    chunks: tuple[Chunk, ...]
    terms: tuple[str, ...] = field(default=())   # what to highlight

    @property
    def has_text(self) -> bool:
        return any(c.kind in ("text", "pinyin") for c in self.chunks)


def parse(raw: str | None) -> Plan:
    raw = (raw or "").strip()
    if not raw:
        raise QueryError(_("Enter something to search for."))
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(ngettext(
            "The search text is too long: at most %(max)d character, this one has %(n)d.",
            "The search text is too long: at most %(max)d characters, this one has %(n)d.",
            MAX_QUERY_CHARS) % {"max": MAX_QUERY_CHARS, "n": len(raw)})
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _QUOTED.finditer(raw):
        pieces.extend((p, False) for p in _STRAY.sub(" ", raw[position:match.start()]).split())
        phrase = next(g for g in match.groups() if g is not None)
        if phrase.strip():
            pieces.append((phrase, True))
        position = match.end()
    pieces.extend((p, False) for p in _STRAY.sub(" ", raw[position:]).split())

    chunks: list[Chunk] = []
    for piece, quoted in pieces:
        chunk = _chunk(piece, quoted)
        if chunk is not None and chunk not in chunks:
            chunks.append(chunk)
    if not chunks:
        raise QueryError(_("There are no words to search for in “%(query)s”: enter words, names or numbers.")
                         % {"query": raw[:40]})
    if len(chunks) > MAX_CHUNKS:
        raise QueryError(_("Too many search words: at most %(max)d.") % {"max": MAX_CHUNKS})
    terms: list[str] = []
    for chunk in chunks:
        if chunk.kind == "text":
            terms.extend([chunk.text, *("".join(g) for g in chunk.groups)])
        else:
            terms.append(chunk.value)
    return Plan(chunks=tuple(chunks), terms=tuple(dict.fromkeys(t for t in terms if t)))


def _chunk(piece: str, quoted: bool) -> Chunk | None:
    normal = text.normalise(piece)
    key = text.identifier_key(piece)
    if not text.HAS_CJK.search(normal):
        if _LATIN.match(key):
            return Chunk("pinyin", groups=((key,),), value=key)
        if _ALNUM.match(key) and any(c.isdigit() for c in key):
            if len(key) >= MIN_IDENTIFIER_FRAGMENT:
                return Chunk("identifier", groups=((key,),), value=key)
            return Chunk("text", groups=((key,),), value=key)
    elif _ALNUM.match(key.translate(_CJK_TO_X)) and any(c.isdigit() for c in key) and len(key) >= 4:
        # A plate or case number with Chinese characters in it (京A12345, 刑字2026123).
        return Chunk("identifier", groups=(tuple(text.SEGMENTER.query_words(normal)),), value=key)
    words = text.SEGMENTER.query_words(normal)
    if not words:
        return None
    if quoted:
        return Chunk("text", groups=(tuple(words),), text="".join(words))
    groups: list[tuple[str, ...]] = []
    run: list[str] = []
    for word in words:
        if len(word) == 1 and text.HAS_CJK.match(word):
            run.append(word)
            continue
        if run:
            groups.append(tuple(run))
            run = []
        groups.append((word,))
    if run:
        groups.append(tuple(run))
    # A lone character beside a word is mostly an affix the dictionary lacks (春晖路 → 春晖 路, 盗窃罪
    # of an unknown offence): among the commonest tokens of all, it would make the query slow and
    # add little, so the word alone is searched (春晖 finds 春晖路 and 春晖街 alike).
    if any(len(g) > 1 or len(g[0]) > 1 for g in groups):
        groups = [g for g in groups if len(g) > 1 or len(g[0]) > 1]
    return Chunk("text", groups=tuple(dict.fromkeys(groups)), text="".join(words))


class _CjkToX(dict):
    def __missing__(self, codepoint: int):
        return "x" if text.HAS_CJK.match(chr(codepoint)) else codepoint


_CJK_TO_X = _CjkToX()
