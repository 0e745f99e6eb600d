"""The pinyin of a name as stored in ``Person.name_pinyin``: every full reading, space separated
(heteronyms give several: 单 is dan or shan), then the initials. Used for duplicates; the search
index computes its own keys from the name."""

from __future__ import annotations

import itertools

from pypinyin import Style, pinyin


def full_readings(name: str) -> list[str]:
    chars = [c for c in (name or "") if "\u4e00" <= c <= "\u9fff"]
    if not chars:
        latin = "".join(c for c in (name or "").lower() if c.isalpha())
        return [latin] if latin else []
    readings = pinyin("".join(chars), style=Style.NORMAL, heteronym=True, strict=False)
    combos = itertools.islice(itertools.product(*[r[:3] for r in readings]), 16)
    return list(dict.fromkeys("".join(combo) for combo in combos))


def pinyin_text(name: str) -> str:
    chars = [c for c in (name or "") if "\u4e00" <= c <= "\u9fff"]
    initials = "".join(r[0][0] for r in pinyin("".join(chars), style=Style.NORMAL, strict=False)) if chars else ""
    return " ".join([*full_readings(name), initials]).strip()[:400]
