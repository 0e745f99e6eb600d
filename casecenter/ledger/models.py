"""The ledger's three tables. All of them are append-only: see :class:`AppendOnlyModel`.

An :class:`Event` is written unsequenced by the business transaction; the sequencer later gives it
its ``position`` (its leaf index) once, stores the new complete subtrees as :class:`TreeNode` rows
and signs a :class:`Checkpoint`. ``body`` holds the exact bytes that are hashed into the leaf, and
every other column is what those bytes say, so that ``ledger verify`` can re-derive the bytes from
the columns and notice a column edited behind the application's back.
"""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from .verifier import canonical_json_plain, format_timestamp

BODY_VERSION = 1


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove a ledger row. The database triggers refuse it as well."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger rows cannot be updated")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("ledger rows cannot be updated")

    def delete(self):
        raise AppendOnlyError("ledger rows cannot be deleted")

    def _raw_delete(self, using):
        raise AppendOnlyError("ledger rows cannot be deleted")


class AppendOnlyModel(models.Model):
    """Refuses ``save()`` of an existing row and ``delete()``; the manager refuses bulk changes.

    The one permitted change, the sequencer giving an event its position, is a raw UPDATE that the
    database trigger checks (position was NULL, nothing else changes).
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed once written")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class Event(AppendOnlyModel):
    """One recorded state change (or sensitive read): who, what, on what, when, from where, the facts.

    ``actor`` is a snapshot (name, roles, unit at the time), because accounts change later and the
    record must say who the person was when they acted. ``case_id`` and ``person_id`` are plain
    values, not foreign keys: the ledger outlives and never cascades from the records it describes.
    """

    uid = models.UUIDField(_("event id"), db_index=True, editable=False)
    position = models.BigIntegerField(_("position"), null=True, unique=True, editable=False)
    actor_id = models.BigIntegerField(_("actor"), null=True, db_index=True)
    actor_snapshot = models.TextField(_("actor snapshot"))
    action = models.CharField(_("action"), max_length=100, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    case_id = models.CharField(_("case"), max_length=64, null=True, db_index=True)
    person_id = models.CharField(_("person"), max_length=64, null=True, db_index=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    data = models.TextField(_("facts"))
    body = models.BinaryField(_("recorded bytes"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="ledger_event_subject")]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    @property
    def actor(self) -> dict:
        """Who acted, as they were then: {"kind": "user", "username", "name", "roles", "unit"} or
        {"kind": "system"} / {"kind": "anonymous"}."""
        return json.loads(self.actor_snapshot)

    @property
    def facts(self) -> dict:
        return json.loads(self.data)

    def derive_body(self) -> bytes:
        """The canonical bytes that the columns describe; equal to ``body`` unless someone edited a row."""
        return body_from_columns(*(getattr(self, name) for name in BODY_COLUMNS))


# The columns that ``body`` is made of, in the order body_from_columns takes them.
BODY_COLUMNS = ("uid", "action", "actor_snapshot", "subject_type", "subject_id", "case_id", "person_id", "unit_id",
                "recorded_at", "request_id", "client_address", "data")


def body_from_columns(uid, action, actor_snapshot, subject_type, subject_id, case_id, person_id, unit_id,
                      recorded_at, request_id, client_address, data) -> bytes:
    """An event's canonical bytes from its column values (``ledger verify`` streams the columns
    without building model instances). Raises ValueError for columns that are not valid JSON."""
    return canonical_json_plain({
        "v": BODY_VERSION,
        "uid": str(uid),
        "action": action,
        "actor": json.loads(actor_snapshot),
        "subject": {"type": subject_type, "id": subject_id},
        "case": case_id,
        "person": person_id,
        "unit": unit_id,
        "recorded_at": format_timestamp(recorded_at),
        "request_id": request_id,
        "client_address": client_address,
        "data": json.loads(data),
    })


class TreeNode(AppendOnlyModel):
    """The hash of a complete subtree: leaves [index * 2**level, (index + 1) * 2**level).

    Only complete subtrees are stored (fewer than 2n rows for n leaves, leaves included); any root,
    inclusion or consistency proof is assembled from O(log n) of them. Level 0 binds each event's
    hash to its position, so a row moved to another position is caught at that very position.
    """

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField()

    class Meta:
        verbose_name = _("tree node")
        verbose_name_plural = _("tree nodes")
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_treenode_unique")]

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class Checkpoint(AppendOnlyModel):
    """A signed statement "the log had ``tree_size`` events and this root hash at ``timestamp``"."""

    tree_size = models.BigIntegerField(_("tree size"), db_index=True)
    root_hash = models.CharField(_("root hash"), max_length=128)
    timestamp = models.DateTimeField(_("time"))
    alg = models.CharField(_("hash algorithm"), max_length=16)
    key_id = models.CharField(_("key id"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["tree_size", "id"]

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hash[:12]}…"

    def as_signed(self) -> dict:
        """The checkpoint in the verifier's JSON form (what was signed, plus the signature)."""
        return {
            "alg": self.alg,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "timestamp": format_timestamp(self.timestamp),
            "key_id": self.key_id,
            "signature": self.signature,
        }
