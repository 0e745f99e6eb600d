"""A person's photo uploaded on the dossier in a real browser: the placeholder, a refused file
with its reason at the field, then a JPEG that appears in the identity card (served through the
access-checked view). Screenshots in test-artifacts/screenshots/people-photo-*.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from casecenter.people import services

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _portrait(path):
    image = Image.new("RGB", (600, 800), (225, 230, 236))
    draw = ImageDraw.Draw(image)
    draw.ellipse((180, 140, 420, 420), fill=(120, 130, 150))     # head
    draw.rectangle((110, 470, 490, 800), fill=(40, 60, 110))     # shoulders
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_an_officer_uploads_a_photo_on_the_dossier(page, sign_in_as, screenshot, media, tmp_path):
    officer = sign_in_as("officer1")
    person = services.person_create(actor=officer, name="张三", sex="male")
    page.goto(f"/people/{person.pk}/")
    expect(page.get_by_test_id("photo-placeholder")).to_be_visible()

    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("这不是照片" * 40)
    page.locator("#id_photo").set_input_files(str(not_a_photo))
    with page.expect_navigation():
        page.get_by_test_id("photo-save").click()
    expect(page.get_by_test_id("photo-errors")).to_contain_text("该文件不是图片。")  # the default language
    expect(page.locator("#id_photo")).to_have_class("form-control form-control-sm is-invalid")
    screenshot(page, "people-photo-refused")

    page.locator("#id_photo").set_input_files(str(_portrait(tmp_path / "face.jpg")))
    page.get_by_test_id("photo-save").focus()   # the form works from the keyboard
    with page.expect_navigation():
        page.keyboard.press("Enter")
    photo = page.get_by_test_id("person-photo")
    expect(photo).to_be_visible()
    page.wait_for_function("document.querySelector('[data-testid=person-photo]').naturalWidth > 0")
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [600, 800]
    expect(page.get_by_test_id("photo-placeholder")).to_have_count(0)
    assert_styled(page)
    screenshot(page, "people-photo-dossier")
