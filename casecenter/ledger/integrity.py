"""``ledger verify``: re-derive every leaf from the stored rows, rebuild the tree, and check every
signed checkpoint against it, naming the first event that does not match.

The signed checkpoints are the only thing an intruder with database access cannot forge; the
stored tree (level 0 binds each event's hash to its position) lets most changes be named at their
exact event even when the intruder rewrote ``body`` to match edited columns:

- an edited column: the columns no longer produce ``body`` → that event;
- edited ``body`` (and columns): the bytes no longer match the tree leaf at that position;
- a deleted row: a gap in the positions, or a tree leaf without its event;
- an inserted row: a position no checkpoint covers, or a leaf that does not match;
- a duplicated row: two rows with one uid;
- two swapped rows: each one's bytes mismatch the leaf at its new position;
- a replaced checkpoint or key: the signature or the key id does not match.

If the intruder also rewrote the stored tree, the change is still caught by the signed roots and
reported as the range between the last matching checkpoint and the first failing one.

Every table is streamed in position order with ``iterator()``; memory stays O(log n) plus one chunk.
Two consecutive checkpoints that both match the one rebuilt tree are consistent by construction;
their consistency proof from the stored tree is checked as well, since that is what is served.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F

from . import keys, merkle, tree, verifier
from .models import BODY_COLUMNS, Checkpoint, Event, TreeNode, body_from_columns

CHUNK = 5000


@dataclass(frozen=True)
class Finding:
    """What does not match, at ``position`` (or somewhere in ``position``..``last`` when the
    evidence is a hash over a range, such as a signed root or a stored subtree)."""

    position: int | None
    message: str
    event_id: int | None = None
    last: int | None = None

    def sort_key(self) -> tuple:
        # Earliest position by which something certainly changed; then the narrowest range; then
        # a finding that names an event before one that does not.
        if self.position is None:
            return (float("inf"), 0, 1, 0)
        last = self.last if self.last is not None else self.position
        return (last, last - self.position, self.event_id is None, self.event_id or 0)


@dataclass
class Report:
    events: int = 0
    checkpoints: int = 0
    unsequenced: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return min(self.findings, key=Finding.sort_key) if self.findings else None

    def add(self, position: int | None, message: str, event: Event | None = None, last: int | None = None) -> None:
        if event is not None:
            message = f"event #{event.pk} ({event.action}, uid {event.uid}) at position {position}: {message}"
        self.findings.append(Finding(position, message, event.pk if event is not None else None, last))

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)


class _Checkpoints:
    """The checkpoints in tree-size order, each checked for its key and signature when reached."""

    def __init__(self, report: Report, public_key, alg: str, chunk_size: int):
        self.report, self.alg, self.public_key = report, alg, public_key
        self.key_id = verifier.key_id(public_key) if public_key is not None else None
        self.rows = Checkpoint.objects.order_by("tree_size", "id").iterator(chunk_size=chunk_size)
        self.matched: Checkpoint | None = None  # the last checkpoint whose root matched the events
        self.current = self._next()

    def _next(self) -> Checkpoint | None:
        cp = next(self.rows, None)
        if cp is not None:
            self.report.checkpoints += 1
            self._check_signature(cp)
        return cp

    def _check_signature(self, cp: Checkpoint) -> None:
        where = max(cp.tree_size - 1, 0)
        name = f"checkpoint #{cp.pk} (tree size {cp.tree_size})"
        if self.public_key is None:
            self.report.add(where, f"{name} cannot be checked: the installation has no ledger key")
        elif cp.key_id != self.key_id:
            self.report.add(where, f"{name} names key {cp.key_id[:16]}…, not the ledger key {self.key_id[:16]}… "
                                   "(replaced checkpoint or replaced key)")
        elif not verifier.verify_checkpoint(self.public_key, cp.as_signed()):
            self.report.add(where, f"{name} has an invalid signature (the checkpoint was altered or forged)")
        if cp.alg != self.alg:
            self.report.add(where, f"{name} uses {cp.alg}, not the configured {self.alg}")

    def reached(self, size: int, frontier: tree.Frontier | None) -> None:
        """Compare every checkpoint of ``size`` events with the rebuilt root (None: not comparable)."""
        while self.current is not None and self.current.tree_size <= size:
            cp = self.current
            if cp.tree_size == size and frontier is not None:
                if frontier.root().hex() != cp.root_hash:
                    start = self.matched.tree_size if self.matched else 0
                    self.report.add(start, f"checkpoint #{cp.pk} (tree size {size}) does not match the events: "
                                           f"a change lies between positions {start} and {size - 1}",
                                    last=size - 1)
                else:
                    self._check_consistency(cp)
                    self.matched = cp
            self.current = self._next()

    def _check_consistency(self, cp: Checkpoint) -> None:
        prev = self.matched
        if prev is None or prev.tree_size == cp.tree_size or prev.tree_size == 0:
            return
        try:
            proof = tree.consistency_path(prev.tree_size, cp.tree_size, self.alg)
        except LookupError as exc:
            self.report.add(cp.tree_size - 1, f"no consistency proof from the stored tree: {exc}")
            return
        if not merkle.verify_consistency(self.alg, prev.tree_size, cp.tree_size, proof,
                                         bytes.fromhex(prev.root_hash), bytes.fromhex(cp.root_hash)):
            self.report.add(prev.tree_size, f"the stored tree gives no valid consistency proof between "
                                            f"checkpoints #{prev.pk} and #{cp.pk}")


class _Row:
    """The few attributes of an event that a finding names (streaming builds no model instances)."""

    __slots__ = ("pk", "action", "uid")

    def __init__(self, pk, action, uid):
        self.pk, self.action, self.uid = pk, action, uid


def _derive(columns) -> bytes | None:
    try:
        return body_from_columns(*columns)
    except (ValueError, TypeError):  # a column edited into something that is not canonical JSON
        return None


def _check_events(report: Report, checkpoints: _Checkpoints, alg: str, chunk_size: int, progress=None) -> int:
    """Stream events and stored leaves in position order; return the number of positions seen.
    ``progress(events_checked)`` is called once per chunk (a background run's progress bar)."""
    events = (Event.objects.filter(position__isnull=False).order_by("position")
              .values_list("id", "position", "body", *BODY_COLUMNS).iterator(chunk_size=chunk_size))
    leaves = TreeNode.objects.filter(level=0).order_by("index").values_list("index", "hash")
    leaves = leaves.iterator(chunk_size=chunk_size)
    leaf = next(leaves, None)
    frontier: tree.Frontier | None = tree.Frontier(alg)
    leaf_hash = verifier.leaf_hash
    expected = 0
    for pk, pos, body, *columns in events:
        report.events += 1
        event = _Row(pk, columns[1], columns[0])
        if pos < expected:
            report.add(pos, "a second event holds this position", event)
            continue
        if pos > expected:
            report.add(expected, f"positions {expected}..{pos - 1} have no event (deleted rows); "
                                 f"the next is event #{pk}")
            frontier = None  # everything after the gap is shifted: roots can no longer be compared
        body = bytes(body)
        derived = _derive(columns)
        body_hash = leaf_hash(body, alg)
        if derived != body:
            report.add(pos, "its columns do not match its recorded bytes (edited after recording)", event)
        while leaf is not None and leaf[0] < pos:
            report.add(leaf[0], "the tree has a leaf here but no event (deleted row)")
            leaf = next(leaves, None)
        if leaf is None or leaf[0] != pos:
            report.add(pos, "the tree has no leaf for it (inserted row)", event)
        else:
            if bytes(leaf[1]) != body_hash:
                report.add(pos, "its recorded bytes do not match the tree leaf at this position "
                                "(edited, inserted or moved row)", event)
            leaf = next(leaves, None)
        if frontier is not None:
            # Columns that are not even JSON derive nothing: hash the recorded bytes, so that the
            # roots of later checkpoints still reveal later changes (this one is reported above).
            frontier.push(body_hash if derived == body or derived is None else leaf_hash(derived, alg))
        expected = pos + 1
        checkpoints.reached(expected, frontier)
        if progress is not None and report.events % chunk_size == 0:
            progress(report.events)
    while leaf is not None:
        report.add(leaf[0], "the tree has a leaf here but no event (deleted row)")
        leaf = next(leaves, None)
    return expected


def _check_upper_levels(report: Report, leaf_count: int, alg: str, chunk_size: int) -> None:
    """Every stored node above the leaves must hash its two children: proofs are served from them."""
    for level in range(1, max(leaf_count, 1).bit_length()):
        lower = TreeNode.objects.filter(level=level - 1).order_by("index").values_list("index", "hash")
        children = lower.iterator(chunk_size=chunk_size)
        child = next(children, None)
        count = 0
        upper = TreeNode.objects.filter(level=level).order_by("index").values_list("index", "hash")
        for index, stored in upper.iterator(chunk_size=chunk_size):
            count += 1
            pair = {}
            while child is not None and child[0] <= 2 * index + 1:
                if child[0] >= 2 * index:
                    pair[child[0]] = bytes(child[1])
                child = next(children, None)
            left, right = pair.get(2 * index), pair.get(2 * index + 1)
            if left is None or right is None or merkle.node_hash(left, right, alg) != bytes(stored):
                first, last = index << level, ((index + 1) << level) - 1
                report.add(first, f"stored tree node (level {level}, index {index}) does not match the "
                                  f"nodes below it (positions {first}..{last})", last=last)
        if count != leaf_count >> level:
            report.add(count << level, f"the stored tree has {count} nodes at level {level}, "
                                       f"expected {leaf_count >> level}")


def _check_duplicates(report: Report) -> None:
    duplicated = Event.objects.values("uid").annotate(n=Count("id")).filter(n__gt=1).values_list("uid", flat=True)
    for uid in duplicated:
        rows = list(Event.objects.filter(uid=uid).order_by(F("position").asc(nulls_last=True), "id"))
        for copy in rows[1:]:
            report.add(copy.position, f"it duplicates event #{rows[0].pk} (duplicated row)", copy)


def verify_ledger(*, public_key=None, chunk_size: int = CHUNK, progress=None) -> Report:
    """Check the whole ledger; ``public_key`` defaults to the installation's (pass the published one
    to catch a key replaced together with re-signed checkpoints). ``progress(events_checked)`` is
    told how far the event scan has come, every ``chunk_size`` events."""
    alg = settings.CASECENTER["LEDGER_HASH"]
    report = Report()
    public_key = public_key or keys.existing_public_key()
    checkpoints = _Checkpoints(report, public_key, alg, chunk_size)
    size = _check_events(report, checkpoints, alg, chunk_size, progress)
    checkpoints.reached(size, None)
    while checkpoints.current is not None:  # checkpoints beyond the last event
        cp = checkpoints.current
        report.add(size, f"checkpoint #{cp.pk} covers {cp.tree_size} events but only {size} are in the ledger "
                         "(rows deleted at the end)")
        checkpoints.current = checkpoints._next()
    last = Checkpoint.objects.order_by("-tree_size", "-id").first()
    if size > (last.tree_size if last else 0):
        first = Event.objects.filter(position__gte=last.tree_size if last else 0).order_by("position").first()
        report.add(first.position, "no signed checkpoint covers it (inserted row)", first)
    _check_upper_levels(report, TreeNode.objects.filter(level=0).count(), alg, chunk_size)
    _check_duplicates(report)
    report.unsequenced = Event.objects.filter(position__isnull=True).count()
    return report
