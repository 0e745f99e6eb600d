"""Writes of the search app that are records of their own: the domain dictionary's words, and an
administrator's request to rebuild the index.

(Documents in the index are derived data and are written by ``indexing``, without ledger events:
the changes they come from are recorded by the apps that make them.)
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.jobs.models import Progress
from casecenter.jobs.progress import progress_enqueue
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from . import kinds as kind_registry
from . import text
from .models import Term
from .tasks import reindex

WORD_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff0-9a-z]{2,40}$")
MAX_FREQUENCY = 10_000_000


def _clean(word: str, frequency: int) -> tuple[str, int]:
    word = text.normalise((word or "").strip())
    if not word:
        raise ValidationFailed(_("Enter a word."), field="word")
    if not WORD_RE.match(word):
        raise ValidationFailed(_("A dictionary word is 2 to 40 Chinese characters, letters or digits, "
                                 "without spaces or punctuation."), field="word")
    if not isinstance(frequency, int) or not 1 <= frequency <= MAX_FREQUENCY:
        raise ValidationFailed(_("The frequency is a whole number from 1 to %(max)s.") % {"max": MAX_FREQUENCY},
                               field="frequency")
    return word, frequency


@records("search.term.added")
@transaction.atomic
def term_add(*, actor, word: str, frequency: int = 20000, request=None) -> Term:
    """Add a word that segmentation keeps whole (stored in simplified characters)."""
    word, frequency = _clean(word, frequency)
    if Term.objects.filter(word=word).exists() or word in dict(text.shipped_words()):
        raise Conflict(_("“%(word)s” is already in the dictionary.") % {"word": word}, field="word")
    term = Term.objects.create(word=word, frequency=frequency)
    record_event(actor=actor, action="search.term.added", subject=term, data={"word": word, "frequency": frequency},
                 request=request)
    transaction.on_commit(text.SEGMENTER.reset)
    return term


@records("search.term.removed")
@transaction.atomic
def term_remove(*, actor, term: Term, request=None) -> None:
    record_event(actor=actor, action="search.term.removed", subject=term,
                 data={"word": term.word, "frequency": term.frequency}, request=request)
    term.delete()
    transaction.on_commit(text.SEGMENTER.reset)


@records("search.index.rebuild_started")
@transaction.atomic
def index_rebuild_start(*, actor, kinds: list[str] | None = None, request=None) -> Progress:
    """Start rebuilding the search index (of ``kinds``, default every kind) in the background.

    The progress row, the queued task and the event commit together: a request that fails leaves
    no rebuild behind, and every rebuild in the queue has its event. The rebuild itself writes
    derived data only (see ``indexing``) and records nothing more.
    """
    kinds = list(dict.fromkeys(kinds or []))
    unknown = [name for name in kinds if kind_registry.get(name) is None]
    if unknown:
        raise ValidationFailed(_("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}, field="kinds")
    progress = progress_enqueue(reindex, kind="search.reindex", label=_("Rebuild the search index"), owner=actor,
                                kinds=kinds or None)
    record_event(actor=actor, action="search.index.rebuild_started", subject=progress,
                 data={"kinds": kinds}, request=request)
    return progress
