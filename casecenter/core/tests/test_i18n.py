"""The Simplified Chinese catalogue stays complete and correct.

Simplified Chinese is the primary language of the UI, so an untranslated string is a defect an
officer sees. These tests fail when:

- a string marked for translation in the code or the templates has no entry in the committed
  ``casecenter/locale/zh_Hans/LC_MESSAGES/django.po`` (the catalogue is regenerated into a
  temporary directory and compared, so the committed file is never touched);
- an entry of the committed catalogue is untranslated or still marked fuzzy;
- a translation drops, adds or renames a placeholder (``{name}``, ``%(minutes)d``, HTML tags).

To bring the catalogue up to date, from the repository root::

    CASECENTER_DEBUG=1 .venv/bin/casecenter makemessages -l zh_Hans --ignore '.venv/*' \\
        --ignore 'node_modules/*' --ignore 'var/*' --ignore '*.egg-info' --no-obsolete

then translate every new (empty or ``#, fuzzy``) entry and remove the fuzzy flags.
"""

from __future__ import annotations

import re
import shutil
import string
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

REPO_ROOT = Path(__file__).resolve().parents[3]
LOCALE = "zh_Hans"
COMMITTED_PO = REPO_ROOT / "casecenter" / "locale" / LOCALE / "LC_MESSAGES" / "django.po"

# What makemessages must not walk. ``.*`` (so .venv, .git) is ignored by default. "locale" matters
# most: when the walk meets a directory named ``locale`` it makes it the output directory of every
# file below it, ahead of LOCALE_PATHS, and would then msgmerge into the committed catalogue.
IGNORE_PATTERNS = ["node_modules", "var", "locale", "*.egg-info", "build", "staticfiles", "test-artifacts"]


# --- a small .po parser ---------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        text = repr(self.msgid)
        if self.msgctxt is not None:
            text = f"[{self.msgctxt}] {text}"
        return f"line {self.line}: {text}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")

    def unescape(match: re.Match) -> str:
        octal, hexa, char = match.groups()
        if octal:
            return chr(int(octal, 8))
        if hexa:
            return chr(int(hexa, 16))
        return _ESCAPES.get(char, "\\" + char)

    return _ESCAPE_RE.sub(unescape, token[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header included, obsolete (``#~``) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field that continuation lines extend
    pending_flags: set[str] = set()
    pending_line = 0

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"line {number}"
        if not line:
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()  # a comment after msgstr starts the next entry
            if line.startswith("#~"):
                pending_flags, pending_line = set(), 0  # an obsolete entry takes its flags with it
                continue
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            pending_line = pending_line or number
            continue  # translator, extracted, reference, previous (#|) and obsolete (#~) lines
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{where}: a continuation line outside an entry")
            value = _unquote(line, where)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        match = _KEYWORD_RE.match(line)
        if not match:
            raise ValueError(f"{where}: cannot read {raw!r}")
        keyword, index, quoted = match.groups()
        value = _unquote(quoted, where)
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr or keyword == "msgctxt"
                                                or current.msgctxt is None and current.msgid):
            finish()
        if current is None:
            current = Entry(flags=pending_flags, line=pending_line or number)
            pending_flags, pending_line = set(), 0
        if keyword == "msgstr" or keyword.startswith("msgstr["):
            slot = int(index) if index is not None else 0
            current.msgstr[slot] = value
            target = ("msgstr", slot)
        else:
            setattr(current, keyword, value)
            target = (keyword, None)
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next((e for e in entries if e.is_header), None)
    if header is None:
        return {}
    lines = header.msgstr.get(0, "").splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines) if k.strip()}


# --- placeholders ---------------------------------------------------------------------------------

_PERCENT_NAMED_RE = re.compile(r"%\((\w+)\)[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
_PERCENT_ANY_RE = re.compile(r"%(?:\((\w+)\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?([diouxXeEfFgGcrsa%])")
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")


def _percent_placeholders(text: str, flags: set[str]) -> Counter:
    if "no-python-format" in flags:
        return Counter()
    if "python-format" in flags:
        found = Counter(m.group(0) for m in _PERCENT_ANY_RE.finditer(text) if m.group(2) != "%")
    else:  # unflagged: only the unambiguous named form counts ("50% done" is no placeholder)
        found = Counter(m.group(0) for m in _PERCENT_NAMED_RE.finditer(text))
    return found


def _brace_placeholders(text: str, flags: set[str]) -> Counter:
    if "no-python-brace-format" in flags or "{" not in text:
        return Counter()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        if "python-brace-format" in flags:
            return Counter({"<unparsable braces>": 1})
        return Counter()
    return Counter(
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _, name, spec, conversion in parsed
        if name is not None
    )


def placeholders(text: str, flags: set[str]) -> Counter:
    return _percent_placeholders(text, flags) + _brace_placeholders(text, flags) + Counter(_TAG_RE.findall(text))


def placeholder_problems(entry: Entry) -> list[str]:
    """How the translations of ``entry`` differ from its msgid in placeholders, one line each."""
    if entry.is_header:
        return []
    if entry.msgid_plural is None:
        wanted = placeholders(entry.msgid, entry.flags)
    else:
        # One plural form in Chinese: msgstr[0] serves every number, so it needs the placeholders of
        # both English forms ("%(minutes)d" may be missing from a singular "one minute").
        singular = placeholders(entry.msgid, entry.flags)
        plural = placeholders(entry.msgid_plural, entry.flags)
        wanted = singular | plural
    problems = []
    for index, text in sorted(entry.msgstr.items()):
        if not text:
            continue  # reported by the completeness test
        got = placeholders(text, entry.flags)
        if got != wanted:
            missing = sorted((wanted - got).elements())
            extra = sorted((got - wanted).elements())
            detail = "; ".join(part for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
            ) if part)
            slot = f"msgstr[{index}]" if entry.msgid_plural is not None else "msgstr"
            problems.append(f"{entry} {slot}={text!r}: {detail}")
    return problems


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def committed() -> list[Entry]:
    assert COMMITTED_PO.exists(), f"{COMMITTED_PO} is missing: run makemessages (see this module's docstring)"
    return parse_po(COMMITTED_PO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """The catalogue makemessages builds from the code as it is now, in a temporary directory."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is not installed (Debian package 'gettext'; `make setup` installs it)")
    out = tmp_path_factory.mktemp("locale")
    before = COMMITTED_PO.read_bytes() if COMMITTED_PO.exists() else None
    with pytest.MonkeyPatch.context() as mp, override_settings(LOCALE_PATHS=[str(out)]):
        mp.chdir(REPO_ROOT)  # makemessages walks the current directory
        call_command("makemessages", locale=[LOCALE], ignore_patterns=list(IGNORE_PATTERNS), verbosity=0)
    after = COMMITTED_PO.read_bytes() if COMMITTED_PO.exists() else None
    assert before == after, "makemessages wrote into the committed catalogue; it must write only to the temp dir"
    generated = out / LOCALE / "LC_MESSAGES" / "django.po"
    assert generated.exists(), f"makemessages wrote no catalogue into {out}"
    entries = [e for e in parse_po(generated.read_text(encoding="utf-8")) if not e.is_header]
    assert len(entries) > 50, "makemessages found suspiciously few strings; did it walk the right directory?"
    return entries


# --- tests ----------------------------------------------------------------------------------------

def test_parser_reads_multiline_plural_context_and_escapes():
    text = r'''# header
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: a.py:1
#, python-format
msgctxt "menu"
msgid ""
"Open %(n)d "
"\"file\""
msgid_plural "Open %(n)d files\t\\"
msgstr[0] "打开 %(n)d 个"
"文件"

#, fuzzy
#~ msgid "gone"
#~ msgstr "旧"

msgid "plain"
msgstr ""
'''
    header, plural, plain = parse_po(text)
    assert header.is_header and "fuzzy" in header.flags
    assert header_fields([header])["Plural-Forms"] == "nplurals=1; plural=0;"
    assert plural.msgctxt == "menu" and plural.msgid == 'Open %(n)d "file"'
    assert plural.msgid_plural == "Open %(n)d files\t\\" and plural.msgstr == {0: "打开 %(n)d 个文件"}
    assert plural.flags == {"python-format"}
    assert plain.msgid == "plain" and plain.msgstr == {0: ""} and not plain.flags


def test_placeholder_check_catches_dropped_and_renamed_placeholders():
    ok = Entry(msgid="Welcome, {name}", msgstr={0: "{name}，您好"}, flags={"python-brace-format"})
    dropped = Entry(msgid="Welcome, {name}", msgstr={0: "您好"}, flags={"python-brace-format"})
    renamed = Entry(msgid="In %(minutes)d minute", msgid_plural="In %(minutes)d minutes",
                    msgstr={0: "%(minute)d 分钟后"}, flags={"python-format"})
    retyped = Entry(msgid="%(n)d left", msgstr={0: "剩余 %(n)s"}, flags={"python-format"})
    tag = Entry(msgid="Read <strong>this</strong>", msgstr={0: "请阅读此处"})
    literal = Entry(msgid="50% done", msgstr={0: "完成 50%"})
    assert placeholder_problems(ok) == [] and placeholder_problems(literal) == []
    for bad in (dropped, renamed, retyped, tag):
        assert placeholder_problems(bad), bad


def test_every_string_in_the_code_is_in_the_catalogue(extracted, committed):
    known = {e.key for e in committed}
    missing = [e for e in extracted if e.key not in known]
    assert not missing, (
        f"{len(missing)} string(s) marked for translation are missing from {COMMITTED_PO.relative_to(REPO_ROOT)}; "
        "rerun makemessages (see this module's docstring) and translate them:\n"
        + "\n".join(f"  {e.msgid!r}" + (f" / {e.msgid_plural!r}" if e.msgid_plural else "")
                    + (f" (context {e.msgctxt!r})" if e.msgctxt else "") for e in missing)
    )


def test_header_declares_utf8_and_one_plural_form(committed):
    fields = header_fields(committed)
    assert "charset=UTF-8" in fields.get("Content-Type", ""), fields
    assert fields.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;", fields


def test_every_entry_is_translated_and_none_is_fuzzy(committed):
    problems = [f"fuzzy (check the translation, then remove the flag): {e}" for e in committed if "fuzzy" in e.flags]
    for e in committed:
        if e.is_header:
            continue
        if not e.msgstr or any(not text.strip() for text in e.msgstr.values()):
            problems.append(f"untranslated: {e}")
        if e.msgid_plural is not None and set(e.msgstr) != {0}:
            problems.append(f"Chinese has one plural form, so only msgstr[0]: {e}")
    assert not problems, f"{len(problems)} problem(s) in {COMMITTED_PO.relative_to(REPO_ROOT)}:\n  " + "\n  ".join(
        problems
    )


def test_translations_keep_the_placeholders(committed):
    problems = [problem for entry in committed for problem in placeholder_problems(entry)]
    assert not problems, "translations that change placeholders:\n  " + "\n  ".join(problems)


def test_msgfmt_accepts_the_catalogue(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("GNU gettext is not installed (Debian package 'gettext'; `make setup` installs it)")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(COMMITTED_PO)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
