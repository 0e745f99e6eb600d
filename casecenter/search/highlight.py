"""Highlighted titles and snippets, computed from the stored original text.

Matching is done on the normalised text (simplified characters, lower case) so that a query finds
its terms in a traditional-character document, while what is shown is the document's own text.
Everything is HTML-escaped; only the <mark> elements added here are markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import text

SNIPPET_CHARS = 160
LEAD_CHARS = 40


_NEEDS_NFKC = re.compile("[\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2460-\u24ff\uf900-\ufaff]")


def _normalised_same_length(original: str) -> str:
    # The fast path: no full-width letters or digits, no compatibility characters, no traditional
    # characters. Then folding is lower-casing (Chinese punctuation need not be folded to be skipped).
    if not _NEEDS_NFKC.search(original) and not text.has_traditional(original):
        return original.lower()
    normal = text.normalise(original)
    if len(normal) == len(original):
        return normal
    # NFKC or a phrase conversion changed the length: fold character by character instead, so
    # that positions still point into the original.
    return "".join((text.normalise(c) or c)[:1] for c in original)


def _spans(normal: str, terms) -> list[tuple[int, int]]:
    spans = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = normal.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = normal.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(original: str, spans, start: int, end: int) -> str:
    out, position = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(original[position:s]))
        out.append(f"<mark>{escape(original[s:e])}</mark>")
        position = e
    out.append(escape(original[position:end]))
    return "".join(out)


def mark(original: str, terms) -> SafeString:
    """The whole text, terms marked."""
    original = original or ""
    return mark_safe(_render(original, _spans(_normalised_same_length(original), terms), 0, len(original)))  # noqa: S308


def snippet(original: str, terms, size: int = SNIPPET_CHARS) -> SafeString:
    """A window of about ``size`` characters around the first match (or the start), terms marked."""
    original = " ".join((original or "").split())
    spans = _spans(_normalised_same_length(original), terms)
    start = max(0, spans[0][0] - LEAD_CHARS) if spans else 0
    end = min(len(original), start + size)
    start = max(0, min(start, end - size))
    body = _render(original, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(original) else ""))  # noqa: S308
