"""The crash campaign: writer processes killed with SIGKILL in the middle of appends
(``casecenter ledger crash-campaign``).

Each writer appends small batches of events in transactions (the on-commit sequencer runs in the
writer too, so sequencers are killed as well) and, after each commit, appends the committed uids to
its log file and fsyncs it. A uid in a log was therefore committed. After the last kill, one
sequencer run must take every committed event, ``verify`` must pass, and every logged uid must be
present and sequenced. Uncommitted work simply vanishes, which is what a transaction promises.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from .integrity import verify_ledger
from .models import Event
from .sequencer import sequence
from .services import record_events

START_TIMEOUT = 60.0  # seconds a writer may take to commit its first batch (Django's start-up included)


def database_url(settings_dict: dict) -> str:
    """The URL of the database ``settings_dict`` describes, for writer processes."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    auth = settings_dict.get("USER") or ""
    if settings_dict.get("PASSWORD"):
        auth += f":{settings_dict['PASSWORD']}"
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{settings_dict['NAME']}"


def write_forever(log: Path, seed: int) -> None:
    """The writer's loop (``ledger crash-writer``): runs until it is killed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible timing, not a secret
    with log.open("a", encoding="ascii") as out:
        batch = 0
        while True:
            n = rng.randint(1, 20)
            with transaction.atomic():
                events = record_events([{"action": "campaign.crash.appended", "subject": ("campaign.writer", seed),
                                         "data": {"batch": batch, "k": k}} for k in range(n)], actor=None)
            out.write("".join(f"{e.uid}\n" for e in events))
            out.flush()
            os.fsync(out.fileno())
            batch += 1


@dataclass
class CrashResult:
    kills: int = 0
    committed: int = 0
    missing: list[str] = field(default_factory=list)
    unsequenced: int = 0
    verified: bool = False
    verify_message: str = ""
    writer_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.verified and not self.missing and not self.unsequenced and not self.writer_errors


def _spawn(workdir: Path, number: int, env: dict) -> tuple[subprocess.Popen, Path, int]:
    log = workdir / f"writer-{number}.log"
    log.touch()
    stderr = (workdir / f"writer-{number}.err").open("ab")
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "casecenter", "ledger", "crash-writer", str(log), "--seed", str(number)],
        env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    stderr.close()
    return proc, log, log.stat().st_size


def _wait_for_commit(proc: subprocess.Popen, log: Path, size_at_start: int) -> bool:
    """Until the writer has committed once (so the kill lands among appends, not in start-up)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if log.stat().st_size > size_at_start:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    return False


def run_crash_campaign(count: int, *, workdir: Path, writers: int = 2, seed: int | None = None,
                       time_limit: float = 1800.0) -> CrashResult:
    """Kill writers ``count`` times against the current default database, then check it."""
    rng = random.Random(seed)  # noqa: S311 - reproducible timing, not a secret
    result, started = CrashResult(), time.monotonic()
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict),
           "CASECENTER_LEDGER_SEQUENCE_ON_COMMIT": "1", "PYTHONUNBUFFERED": "1"}
    from django.conf import settings

    if settings.CASECENTER.get("LEDGER_KEY_FILE"):
        env["CASECENTER_LEDGER_KEY_FILE"] = str(settings.CASECENTER["LEDGER_KEY_FILE"])
    workdir.mkdir(parents=True, exist_ok=True)
    slots = [_spawn(workdir, n, env) for n in range(writers)]
    spawned = writers
    try:
        while result.kills < count and time.monotonic() - started < time_limit:
            i = result.kills % writers
            proc, log, size = slots[i]
            if not _wait_for_commit(proc, log, size):
                proc.kill()
                proc.wait()
                result.writer_errors.append(f"writer {log.name} did not commit (see {log.with_suffix('.err')})")
                break
            time.sleep(rng.uniform(0.0, 0.25))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            result.kills += 1
            slots[i] = _spawn(workdir, spawned, env)
            spawned += 1
    finally:
        for proc, _log, _size in slots:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    return _check(result, workdir, started)


def _check(result: CrashResult, workdir: Path, started: float) -> CrashResult:
    connection.close()  # a fresh connection sees every commit of the writers
    while sequence().sequenced:
        pass
    committed = set()
    for log in workdir.glob("writer-*.log"):
        # A writer killed while writing its log leaves a partial last line: a uid has 36 characters.
        committed.update(line for line in log.read_text(encoding="ascii").splitlines() if len(line) == 36)
    result.committed = len(committed)
    sequenced = {str(uid) for uid in Event.objects.filter(position__isnull=False).values_list("uid", flat=True)}
    result.missing = sorted(committed - sequenced)
    result.unsequenced = Event.objects.filter(position__isnull=True).count()
    report = verify_ledger()
    result.verified = report.ok
    result.verify_message = f"{report.events} events, {report.checkpoints} checkpoints" + (
        "" if report.ok else f"; first mismatch: {report.first.message}")
    result.seconds = time.monotonic() - started
    return result
