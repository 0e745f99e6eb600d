"""Writes of the search app that are records of their own: the domain dictionary's words.

(Documents in the index are derived data and are written by ``indexing``, without ledger events:
the changes they come from are recorded by the apps that make them.)
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from . import text
from .models import Term

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
