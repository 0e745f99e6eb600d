"""``casecenter ledger prove|verify-proof|verify|checkpoint|export-key|tamper-campaign|crash-campaign``.

``checkpoint`` is also the periodic safety net, so that events whose on-commit sequencing failed
(a process killed after its commit) are sequenced and signed anyway: ``checkpoint --every 10`` keeps
running and sequences every ten seconds (or run plain ``checkpoint`` from a timer).

The two campaigns (see ``ledger/campaigns.py`` and ``ledger/crash.py``) run in a throwaway database
with a throwaway key, like ``casecenter bench``: they never touch the installation's ledger.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casecenter.core.errors import ApplicationError
from casecenter.ledger import keys, proofs, verifier
from casecenter.ledger.integrity import verify_ledger
from casecenter.ledger.sequencer import latest_checkpoint, sequence

MAX_FINDINGS_SHOWN = 50


class Command(BaseCommand):
    help = "Prove, verify and checkpoint the whole-process record (ledger)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        prove = sub.add_parser("prove", help="Print the proof bundle (JSON) of one event.")
        prove.add_argument("event", help="event id or uid")
        prove.add_argument("--output", type=Path, help="write the bundle to this file instead of stdout")
        check = sub.add_parser("verify-proof", help="Check a proof bundle offline.")
        check.add_argument("file", type=Path)
        check.add_argument("--public-key", type=Path, help="PEM public key (default: this installation's)")
        full = sub.add_parser("verify", help="Re-derive every event and check every checkpoint.")
        full.add_argument("--public-key", type=Path, help="the published PEM public key to check against")
        full.add_argument("--chunk-size", type=int, default=5000)
        cp = sub.add_parser("checkpoint", help="Sequence committed events now and sign a checkpoint.")
        cp.add_argument("--every", type=float, metavar="SECONDS",
                        help="keep running: sequence again every SECONDS (the periodic safety net)")
        cp.add_argument("--runs", type=int, metavar="N", help="with --every: stop after N rounds")
        sub.add_parser("export-key", help="Print the public key (PEM) that verifies checkpoints.")
        tamper = sub.add_parser("tamper-campaign", help="Random tamperings, each must be detected at its event.")
        tamper.add_argument("--count", type=int, default=1000)
        tamper.add_argument("--size", type=int, default=24, help="events in the ledger that is tampered with")
        tamper.add_argument("--seed", type=int, default=None)
        crash = sub.add_parser("crash-campaign", help="kill -9 writer processes during appends, then check.")
        crash.add_argument("--count", type=int, default=100, help="number of kills")
        crash.add_argument("--writers", type=int, default=2, help="writer processes at a time")
        crash.add_argument("--seed", type=int, default=None)
        crash.add_argument("--time-limit", type=float, default=1800.0, help="stop killing after this many seconds")
        writer = sub.add_parser("crash-writer", help="(used by crash-campaign) append until killed")
        writer.add_argument("log", type=Path)
        writer.add_argument("--seed", type=int, default=0)

    def handle(self, *args, subcommand, **options):
        handler = getattr(self, "_" + subcommand.replace("-", "_"))
        try:
            return handler(**options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def _prove(self, *, event, output=None, **_):
        bundle = proofs.event_bundle(proofs.find_event(event))
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Proof of event {event} written to {output}.")
        else:
            self.stdout.write(text, ending="")

    def _load_key(self, path: Path | None):
        if path is None:
            key = keys.existing_public_key()
            if key is None:
                raise CommandError("This installation has no ledger key yet; pass --public-key.")
            return key
        try:
            return verifier.load_public_key(path)
        except (OSError, ValueError, TypeError) as exc:
            raise CommandError(f"Cannot read the public key {path}: {exc}") from None

    def _verify_proof(self, *, file, public_key=None, **_):
        key = self._load_key(public_key)
        try:
            bundle = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the bundle {file}: {exc}") from None
        result = verifier.verify_bundle(bundle, key)
        if not result.ok:
            raise CommandError(f"FAILED: {result.reason}", returncode=1)
        self.stdout.write(f"OK: {result.reason} (event index {bundle['index']} of {bundle['tree_size']})")

    def _verify(self, *, public_key=None, chunk_size=5000, **_):
        key = self._load_key(public_key) if public_key else None
        report = verify_ledger(public_key=key, chunk_size=chunk_size)
        summary = (f"{report.events} events, {report.checkpoints} checkpoints checked; "
                   f"{report.unsequenced} not yet sequenced")
        if report.ok:
            self.stdout.write(f"OK: {summary}.")
            return
        findings = report.sorted_findings()
        for finding in findings[:MAX_FINDINGS_SHOWN]:
            self.stdout.write(f"  - {finding.message}")
        if len(findings) > MAX_FINDINGS_SHOWN:
            self.stdout.write(f"  … and {len(findings) - MAX_FINDINGS_SHOWN} more")
        raise CommandError(f"FAILED ({summary}). First mismatch: {report.first.message}", returncode=1)

    def _checkpoint(self, *, every=None, runs=None, **_):
        if every is None:
            return self._checkpoint_once()
        if every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        done = 0
        while runs is None or done < runs:
            self._checkpoint_once()
            done += 1
            if runs is None or done < runs:
                time.sleep(every)

    def _checkpoint_once(self):
        sequenced = 0
        for _run in range(1000):  # each run signs its own checkpoint; a backlog takes several
            outcome = sequence()
            if outcome.locked_out:
                self.stdout.write("Another sequencer is running; it will take the pending events.")
                return
            sequenced += outcome.sequenced
            if not outcome.sequenced:
                break
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            self.stdout.write("The ledger is empty.")
            return
        self.stdout.write(f"Sequenced {sequenced} events. Checkpoint: tree size {checkpoint.tree_size}, "
                          f"root {checkpoint.root_hash}, {checkpoint.alg}, signed by {checkpoint.key_id[:16]}…")

    def _tamper_campaign(self, *, count, size, seed=None, **_):
        from casecenter.ledger.campaigns import run_campaign

        with self._throwaway("tamper"):
            result = run_campaign(count, size=size, seed=seed)
        detected = len(result.outcomes) - len(result.failures)
        for failure in result.failures[:MAX_FINDINGS_SHOWN]:
            self.stdout.write(f"  - {failure.kind}: expected position {failure.expected}, "
                              f"reported {failure.reported}: {failure.message}")
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(result.by_kind().items()))
        summary = f"{detected} of {len(result.outcomes)} tamperings detected at the right event ({kinds})"
        if result.failures:
            raise CommandError(f"FAILED: {summary}", returncode=1)
        self.stdout.write(f"OK: {summary}.")

    def _crash_campaign(self, *, count, writers, seed=None, time_limit=1800.0, **_):
        import tempfile

        from casecenter.ledger.crash import run_crash_campaign

        with tempfile.TemporaryDirectory(prefix="casecenter-crash-") as scratch, self._throwaway("crash"):
            result = run_crash_campaign(count, workdir=Path(scratch), writers=writers, seed=seed,
                                        time_limit=time_limit)
        summary = (f"{result.kills} kills in {result.seconds:.0f} s; {result.committed} committed events logged, "
                   f"{len(result.missing)} missing, {result.unsequenced} unsequenced; verify: "
                   f"{'OK' if result.verified else 'FAILED'} ({result.verify_message})")
        for error in result.writer_errors:
            self.stdout.write(f"  - {error}")
        if not result.ok or result.kills < count:
            raise CommandError(f"FAILED: {summary}", returncode=1)
        self.stdout.write(f"OK: {summary}.")

    def _crash_writer(self, *, log, seed=0, **_):
        from casecenter.ledger.crash import write_forever

        write_forever(log, seed)

    @contextlib.contextmanager
    def _throwaway(self, purpose: str):
        from django.conf import settings

        from casecenter.core.management.commands.bench import throwaway_database
        from casecenter.ledger.bench import scratch_ledger

        scratch = Path(settings.VAR_DIR) / "campaigns"
        with throwaway_database(scratch, suffix=f"{purpose}_{os.getpid()}"), scratch_ledger(on_commit=True):
            yield

    def _export_key(self, **_):
        self.stdout.write(keys.public_key_pem().decode("ascii"), ending="")
