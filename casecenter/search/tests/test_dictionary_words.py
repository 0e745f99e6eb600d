"""Administrators extend the domain dictionary; segmentation follows, and each change is recorded."""

import pytest
from django.urls import reverse

from casecenter.core.errors import ApplicationError
from casecenter.ledger.testing import assert_records, last_event_id
from casecenter.search import services, text
from casecenter.search.models import Term


@pytest.fixture
def fresh_segmenter():
    text.SEGMENTER.reset()
    yield text.SEGMENTER
    text.SEGMENTER.reset()


@pytest.mark.django_db
def test_an_added_word_is_kept_whole_and_recorded(personas, fresh_segmenter, django_capture_on_commit_callbacks):
    assert "滨江镇" not in text.words_text("滨江镇派出所").split()
    mark = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        term = services.term_add(actor=personas["sysadmin"], word="濱江鎮")   # stored simplified
    assert term.word == "滨江镇"
    assert "滨江镇" in text.words_text("滨江镇派出所").split()
    assert_records("search.term.added", after=mark, actor=personas["sysadmin"], subject=term,
                   data={"word": "滨江镇", "frequency": 20000})

    mark = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.term_remove(actor=personas["sysadmin"], term=term)
    assert_records("search.term.removed", after=mark, data={"word": "滨江镇", "frequency": 20000})
    assert not Term.objects.exists()
    assert "滨江镇" not in text.words_text("滨江镇派出所").split()


@pytest.mark.django_db
@pytest.mark.parametrize(("word", "frequency", "field"), [
    ("", 1, "word"), ("两 个", 1, "word"), ("词", 1, "word"), ("标点！", 1, "word"), ("x" * 41, 1, "word"),
    ("办案区", 1, "word"),           # already shipped
    ("新词语", 0, "frequency"), ("新词语", 10**9, "frequency"),
])
def test_bad_words_are_refused_naming_the_field(personas, word, frequency, field):
    with pytest.raises(ApplicationError) as error:
        services.term_add(actor=personas["sysadmin"], word=word, frequency=frequency)
    assert field in error.value.fields
    assert not Term.objects.exists()


@pytest.mark.django_db
def test_the_system_administrator_adds_a_word_in_the_admin(login_as):
    client = login_as("sysadmin")
    answer = client.post(reverse("admin:search_term_add"), {"word": "城关镇派出所", "frequency": "30000"})
    assert answer.status_code == 302
    assert Term.objects.get().word == "城关镇派出所"
    refused = client.post(reverse("admin:search_term_add"), {"word": "城关镇派出所", "frequency": "30000"})
    assert refused.status_code == 200 and Term.objects.count() == 1
    assert login_as("officer1").get(reverse("admin:search_term_changelist")).status_code == 403
