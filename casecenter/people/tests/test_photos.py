"""Person photos: what is accepted, how it is stored, who sees it.

Alice (officer1) registers 张三 and gives him a photo; the department head sees it; the custodian
reads the dossier but may not change the photo; the system administrator (no content role) and an
anonymous visitor never get the bytes, neither from the photo URL nor from /media/."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id
from casecenter.people import photos, services
from casecenter.people.models import Person

ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(size=(800, 600), *, orientation: int | None = None, name: str = "face.jpg") -> SimpleUploadedFile:
    """A JPEG as a phone writes it: camera make, GPS position and (optionally) an orientation tag."""
    image = Image.new("RGB", size, (200, 120, 80))
    image.paste((20, 40, 160), (0, 0, size[0] // 2, size[1] // 3))   # a block to tell up from down
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(size=(300, 400), *, mode: str = "RGBA") -> SimpleUploadedFile:
    image = Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at the station gate")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


def stored(person: Person) -> Image.Image:
    with default_storage.open(person.photo.name, "rb") as f:
        return Image.open(io.BytesIO(f.read()))


@pytest.fixture
def zhang(register):
    return register("张三")


# --- the service ------------------------------------------------------------------------------------

def test_a_jpeg_is_stored_under_its_hash_without_metadata_and_recorded(personas, zhang):
    mark = last_event_id()
    person = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())
    with default_storage.open(person.photo.name, "rb") as f:
        content = f.read()
    sha = hashlib.sha256(content).hexdigest()
    assert person.photo.name == f"people/photos/{sha}.jpg"
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == (800, 600)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"PhoneMaker" not in content
    event = assert_records("people.person.photo_changed", after=mark, actor=personas["officer1"], subject=zhang,
                           person=zhang, data={"sha256": sha, "size": len(content), "content_type": "image/jpeg",
                                               "previous": None})
    assert set(event.facts) == {"sha256", "size", "content_type", "width", "height", "previous"}
    assert Person.objects.get(pk=zhang.pk).photo.name == person.photo.name


def test_a_png_keeps_its_transparency_and_loses_its_text_chunks(personas, zhang):
    person = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=png())
    image = stored(person)
    assert person.photo.name.endswith(".png") and image.format == "PNG"
    assert image.mode == "RGBA" and "Comment" not in image.info
    assert_records("people.person.photo_changed", subject=zhang, data={"content_type": "image/png"})


def test_a_phones_multi_picture_jpeg_is_stored_as_a_plain_jpeg(personas, zhang):
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (1, 2, 3)).save(out, "MPO", save_all=True,
                                                  append_images=[Image.new("RGB", (300, 400))])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    upload = SimpleUploadedFile("iphone.jpg", out.getvalue(), content_type="image/jpeg")
    person = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=upload)
    assert stored(person).format == "JPEG" and person.photo.name.endswith(".jpg")


def test_the_orientation_tag_is_applied_to_the_pixels(personas, zhang):
    # Orientation 6: the camera was turned; the picture is shown rotated by 90°.
    person = services.person_set_photo(actor=personas["officer1"], person=zhang,
                                       upload=jpeg((400, 200), orientation=6))
    image = stored(person)
    assert image.size == (200, 400)
    assert ORIENTATION not in image.getexif()


def test_a_large_picture_is_scaled_down_to_the_longest_side(personas, zhang):
    person = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg((3000, 1500)))
    assert stored(person).size == (photos.MAX_SIDE, photos.MAX_SIDE // 2)
    assert_records("people.person.photo_changed", subject=zhang, data={"width": 1200, "height": 600})


def test_a_new_photo_replaces_the_old_one_which_stays_in_storage(personas, zhang):
    first = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg()).photo.name
    mark = last_event_id()
    second = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=png()).photo.name
    assert first != second and default_storage.exists(first) and default_storage.exists(second)
    assert_records("people.person.photo_changed", after=mark, count=1,
                   data={"previous": {"sha256": photos.sha256_of(first), "name": first}})


def _gif() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (100, 100)).save(out, "GIF")
    return SimpleUploadedFile("face.gif", out.getvalue(), content_type="image/gif")


def _truncated() -> SimpleUploadedFile:
    data = jpeg((600, 600)).read()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


@pytest.mark.parametrize("upload, says", [
    (lambda: SimpleUploadedFile("notes.jpg", "这不是照片".encode() * 20, content_type="image/jpeg"), "not an image"),
    (_gif, "JPEG or PNG"),
    (lambda: SimpleUploadedFile("big.jpg", b"\xff" * (photos.MAX_BYTES + 1), content_type="image/jpeg"),
     "larger than 5 MB"),
    (lambda: png((20, 20), mode="RGB"), "too small"),
    (_truncated, "damaged or incomplete"),
    (lambda: SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "empty"),
], ids=["text", "gif", "too-large", "too-small", "truncated", "empty"])
def test_refusals_name_the_photo_field_and_record_nothing(personas, zhang, upload, says):
    mark = last_event_id()
    with pytest.raises(ValidationFailed) as caught:
        services.person_set_photo(actor=personas["officer1"], person=zhang, upload=upload())
    assert "photo" in caught.value.fields and says in caught.value.message
    assert not Person.objects.get(pk=zhang.pk).photo
    assert_no_records("people.person.photo_changed", after=mark)


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(personas, zhang, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ValidationFailed, match="too many pixels"):
        services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg((200, 200)))


def test_only_writers_change_photos_and_merged_entries_are_refused(personas, register, zhang):
    with pytest.raises(Forbidden):
        services.person_set_photo(actor=personas["custodian"], person=zhang, upload=jpeg())
    other = register("张叁")
    services.person_merge(actor=personas["head"], survivor=other, merged=zhang, reason="同一人")
    with pytest.raises(Conflict):
        services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())


def test_removing_a_photo_needs_a_reason_and_keeps_the_file(personas, zhang):
    name = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg()).photo.name
    with pytest.raises(ValidationFailed) as caught:
        services.person_remove_photo(actor=personas["officer1"], person=zhang, reason="  ")
    assert "reason" in caught.value.fields
    mark = last_event_id()
    person = services.person_remove_photo(actor=personas["officer1"], person=zhang, reason="不是本人照片")
    assert not Person.objects.get(pk=person.pk).photo and default_storage.exists(name)
    assert_records("people.person.photo_removed", after=mark, subject=zhang, person=zhang,
                   data={"reason": "不是本人照片", "previous": {"sha256": photos.sha256_of(name), "name": name}})
    with pytest.raises(Conflict):
        services.person_remove_photo(actor=personas["officer1"], person=zhang, reason="again")


def test_registration_may_carry_the_photo(personas, register):
    mark = last_event_id()
    person = register("李四", photo=jpeg())
    assert person.photo.name.startswith("people/photos/") and person.photo.name.endswith(".jpg")
    assert_records("people.person.created", after=mark, subject=person,
                   data={"photo": {"sha256": photos.sha256_of(person.photo.name), "size": person.photo.size,
                                   "content_type": "image/jpeg"}})


# --- the pages ---------------------------------------------------------------------------------------

def test_the_dossier_uploads_and_shows_the_photo_privately(login_as, zhang):
    client = login_as("officer1")
    page = client.get(reverse("people:detail", args=[zhang.pk])).content.decode()
    assert 'data-testid="photo-placeholder"' in page and 'data-testid="photo-form"' in page
    response = client.post(reverse("people:photo", args=[zhang.pk]), {"photo": jpeg()})
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[zhang.pk])).content.decode()
    assert 'data-testid="person-photo"' in page
    response = login_as("head").get(reverse("people:photo", args=[zhang.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    body = response.content
    assert Image.open(io.BytesIO(body)).size == (800, 600)
    again = login_as("head").get(reverse("people:photo", args=[zhang.pk]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content


def test_a_refused_upload_shows_the_reason_at_the_field(login_as, zhang):
    response = login_as("officer1").post(reverse("people:photo", args=[zhang.pk]),
                                         {"photo": SimpleUploadedFile("x.jpg", b"hello" * 50)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="photo-errors"' in page and "The file is not an image." in page
    assert "no-store" in response["Cache-Control"]


def test_readers_without_write_see_the_photo_but_no_upload_form(login_as, personas, zhang):
    services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())
    custodian = login_as("custodian")
    page = custodian.get(reverse("people:detail", args=[zhang.pk])).content.decode()
    assert 'data-testid="person-photo"' in page and 'data-testid="photo-form"' not in page
    assert custodian.get(reverse("people:photo", args=[zhang.pk])).status_code == 200
    assert custodian.post(reverse("people:photo", args=[zhang.pk]), {"photo": png()}).status_code == 403


def test_who_may_not_see_the_person_never_gets_the_bytes(login_as, personas, client, zhang):
    person = services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())
    with default_storage.open(person.photo.name, "rb") as f:
        content = f.read()
    url = reverse("people:photo", args=[zhang.pk])
    api_url = reverse("api:person-photo", args=[zhang.pk])
    for response in (login_as("sysadmin").get(url), login_as("sysadmin").get(api_url), client.get(url),
                     client.get(api_url)):
        assert response.status_code in (302, 401, 403, 404)
        assert content not in response.content
    # Nothing serves MEDIA_ROOT: the stored name under /media/ is no way around the check.
    for who in (client, login_as("officer1")):
        response = who.get(f"/media/{person.photo.name}")
        assert response.status_code in (302, 403, 404) and content not in response.content


def test_a_person_without_a_photo_has_none_to_serve(login_as, zhang):
    assert login_as("officer1").get(reverse("people:photo", args=[zhang.pk])).status_code == 404
    assert login_as("officer1").get(reverse("people:photo", args=[999999])).status_code == 404


def test_the_photo_is_removed_from_the_dossier_with_a_reason(login_as, personas, zhang):
    services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())
    client = login_as("officer1")
    response = client.post(reverse("people:photo_remove", args=[zhang.pk]), {"reason": "照片模糊"})
    assert response.status_code == 302 and not Person.objects.get(pk=zhang.pk).photo
    assert_records("people.person.photo_removed", subject=zhang, data={"reason": "照片模糊"})


# --- the API -------------------------------------------------------------------------------------------

def test_the_api_uploads_a_photo_and_links_it_in_the_person(login_as, zhang):
    client = login_as("officer1")
    detail = client.get(reverse("api:person-detail", args=[zhang.pk])).json()
    assert detail["photo_url"] is None
    response = client.post(reverse("api:person-photo", args=[zhang.pk]), {"photo": png()})
    assert response.status_code == 201, response.json()
    url = response.json()["photo_url"]
    assert url.startswith(reverse("api:person-photo", args=[zhang.pk]) + "?v=")
    image = client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["Cache-Control"].startswith("private")
    assert Image.open(io.BytesIO(image.content)).size == (300, 400)
    assert client.get(url, HTTP_IF_NONE_MATCH=image["ETag"]).status_code == 304  # unchanged: not sent again
    assert client.get(reverse("api:person-list")).json()["results"][0]["photo_url"] == url
    replaced = client.post(reverse("api:person-photo", args=[zhang.pk]), {"photo": png((600, 800))})
    assert replaced.status_code == 200, replaced.json()   # the photo exists: it is replaced, not created
    assert replaced.json()["photo_url"] != url


def test_the_api_refuses_a_bad_upload_on_the_photo_field(login_as, zhang):
    client = login_as("officer1")
    response = client.post(reverse("api:person-photo", args=[zhang.pk]), {"photo": _gif()})
    assert response.status_code == 400
    assert "JPEG or PNG" in " ".join(response.json()["error"]["fields"]["photo"])
    response = client.post(reverse("api:person-photo", args=[zhang.pk]), {"photo": "aGVsbG8="},
                           content_type="application/json")
    assert response.status_code == 415   # multipart only


def test_the_api_removes_a_photo_with_a_reason(login_as, personas, zhang):
    services.person_set_photo(actor=personas["officer1"], person=zhang, upload=jpeg())
    response = login_as("officer1").post(reverse("api:person-photo-remove", args=[zhang.pk]), {"reason": "错拍"},
                                         content_type="application/json")
    assert response.status_code == 200 and response.json()["photo_url"] is None


def test_the_registration_form_takes_the_photo(login_as):
    response = login_as("officer1").post(reverse("people:create"), {"name": "王五", "sex": "unknown", "photo": png()})
    assert response.status_code == 302
    person = Person.objects.get(name="王五")
    assert person.photo.name.endswith(".png")
    assert_records("people.person.created", subject=person, data={"photo": {
        "sha256": photos.sha256_of(person.photo.name), "size": person.photo.size, "content_type": "image/png"}})
    refused = login_as("officer1").post(reverse("people:create"), {"name": "赵六", "sex": "unknown", "photo": _gif()})
    assert refused.status_code == 400 and "JPEG or PNG" in refused.content.decode()
    assert not Person.objects.filter(name="赵六").exists()
