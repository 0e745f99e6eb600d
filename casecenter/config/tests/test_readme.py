"""The README's configuration tables name every environment variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import casecenter

PACKAGE = Path(casecenter.__file__).parent
READS = re.compile(r"(?:env_[a-z]+|environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"")


def _variables_read() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" not in path.parts:
            names |= set(READS.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_environment_variable_read_is_documented_in_the_readme():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    read = _variables_read()
    assert {"CASECENTER_WEB_WORKERS", "DATABASE_URL", "CASECENTER_BENCH_DEADLINES"} <= read   # the scan finds them
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
