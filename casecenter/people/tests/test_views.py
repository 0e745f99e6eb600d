import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.ledger.models import Event
from casecenter.people.models import Person

from .conftest import make_id

NUMBER = make_id("440106", "20000229", "613")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("people:list")).status_code == 200
    return len(ctx)


def test_the_list_does_not_query_more_with_more_rows(login_as, register):
    client = login_as("officer1")
    register("甲")
    client.get(reverse("people:list"))
    few = _list_queries(client)
    for i in range(10):
        register(f"乙{i}", phones=[f"1380000000{i}"], aliases=["某"])
    assert _list_queries(client) == few


def test_the_list_searches(login_as, register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register("陈明", phones=["13700001111"])
    response = login_as("officer1").get(reverse("people:list"), {"q": "chenming"})
    assert "陈明" in response.content.decode()


def test_create_from_an_id_number_fills_birth_date_and_sex(login_as):
    client = login_as("officer1")
    response = client.post(reverse("people:create"), {"id_number": NUMBER, "name": "黄小明", "sex": "unknown",
                                                      "nationality": "中国", "phones": "13800001111\n13800002222"})
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert (person.birth_date, person.sex, person.phones) == (dt.date(2000, 2, 29), "male",
                                                              ["13800001111", "13800002222"])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "2000-02-29" in page and 'data-testid="cases-panel"' in page


def test_create_with_a_registered_number_links_the_entry(login_as, register):
    existing = register("黄小明", id_number=NUMBER)
    response = login_as("officer2").post(reverse("people:create"), {"id_number": NUMBER, "name": "黄晓明",
                                                                    "sex": "unknown"})
    assert response.status_code == 409
    assert existing.get_absolute_url() in response.content.decode()
    assert Person.objects.count() == 1


def test_a_wrong_check_character_is_shown_on_the_field(login_as):
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    response = login_as("officer1").post(reverse("people:create"), {"id_number": wrong, "name": "某", "sex": "unknown"})
    assert response.status_code == 400
    assert "check character" in response.content.decode()


def test_the_id_number_fragment_says_what_the_number_carries(login_as):
    client = login_as("officer1")
    ok = client.get(reverse("people:id_number_check"), {"id_number": NUMBER}).content.decode()
    assert 'data-birth-date="2000-02-29"' in ok and 'data-sex="male"' in ok
    bad = client.get(reverse("people:id_number_check"), {"id_number": "123"}).content.decode()
    assert "18 characters" in bad


def test_update_changes_the_entry(login_as, register):
    person = register("周杰")
    response = login_as("officer1").post(reverse("people:update", args=[person.pk]),
                                         {"name": "周杰", "sex": "male", "residence": "广州市", "nationality": "中国"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.residence == "广州市"


def test_merge_and_undo_from_the_pages(login_as, register):
    born = dt.date(1980, 1, 1)
    survivor, merged = register("孙丽", birth_date=born), register("孫麗", birth_date=born)
    head = login_as("head")
    page = head.get(reverse("people:merge", args=[merged.pk])).content.decode()
    assert survivor.get_absolute_url() in page      # offered as a candidate (same date, same pinyin)
    response = head.post(reverse("people:merge", args=[merged.pk]), {"survivor": survivor.pk, "reason": "同一人"})
    assert response.status_code == 302
    dossier = head.get(merged.get_absolute_url()).content.decode()
    assert 'data-testid="merged-note"' in dossier and 'data-testid="unmerge"' in dossier
    assert head.post(reverse("people:unmerge", args=[merged.pk]), {"reason": "不同人"}).status_code == 302
    merged.refresh_from_db()
    assert merged.merged_into is None
    assert Event.objects.filter(action="people.person.unmerged").count() == 1


def test_an_officer_may_not_merge(login_as, register):
    a, b = register("甲"), register("乙")
    response = login_as("officer1").post(reverse("people:merge", args=[b.pk]), {"survivor": a.pk, "reason": "x"})
    assert response.status_code == 403


def test_a_document_is_added_from_the_dossier(login_as, register):
    person = register("约翰")
    client = login_as("duty")
    response = client.post(reverse("people:document_add", args=[person.pk]),
                           {"kind": "passport", "number": "e1234567", "issuing_country": "美国"})
    assert response.status_code == 302
    assert "E1234567" in client.get(person.get_absolute_url()).content.decode()
    again = client.post(reverse("people:document_add", args=[register("杰克").pk]),
                        {"kind": "passport", "number": "E1234567", "issuing_country": "美国"})
    assert again.status_code == 409 and "约翰" in again.content.decode()


def test_those_who_only_read_the_registry_are_offered_no_form(login_as, register):
    person = register("丙")
    for username in ("reviewer", "custodian", "supervisor", "analyst"):
        client = login_as(username)
        assert 'data-testid="person-create-link"' not in client.get(reverse("people:list")).content.decode()
        dossier = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert 'data-testid="document-form"' not in dossier and 'data-testid="photo-form"' not in dossier
        assert client.get(reverse("people:create")).status_code == 403
        assert client.get(reverse("people:update", args=[person.pk])).status_code == 403
    duty = login_as("duty")  # the centre's duty officer registers the people brought in
    assert 'data-testid="person-create-link"' in duty.get(reverse("people:list")).content.decode()
    assert duty.get(reverse("people:create")).status_code == 200
