"""Person photos: what is accepted and how it is stored.

Only JPEG and PNG are accepted, read by Pillow (the declared content type and the file name are
not trusted). The stored image is re-encoded: orientation applied, every metadata block (EXIF with
its GPS position and camera, ICC profile, comments) dropped, the longest side at most
``MAX_SIDE``. It is stored under the SHA-256 of its bytes, so the ledger's hash proves which
image the record pointed at and an earlier photo is never overwritten.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from casecenter.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024       # the upload, before re-encoding
MAX_PIXELS = 40_000_000          # a 5 MB file can still decompress to gigabytes: refuse before decoding
MIN_SIDE = 32                    # smaller is no portrait
MAX_SIDE = 1200                  # longest side of the stored image
JPEG_QUALITY = 85
DIRECTORY = "people/photos"
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
CONTENT_TYPES = {extension: content_type for content_type, extension in FORMATS.values()}
FORMATS_BY_TYPE = dict(FORMATS.values())


@dataclass(frozen=True)
class Photo:
    content: bytes
    sha256: str
    content_type: str
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{DIRECTORY}/{self.sha256}.{FORMATS_BY_TYPE[self.content_type]}"

    @property
    def size(self) -> int:
        return len(self.content)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="photo")


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("The photo is larger than {mb} MB.").format(mb=MAX_BYTES // (1024 * 1024)))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("The photo is larger than {mb} MB.").format(mb=MAX_BYTES // (1024 * 1024)))
    if not data:
        raise _refuse(_("The photo file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    """Identify and fully decode the image; refuse what is not a whole JPEG or PNG."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise _refuse(_("The file is not an image.")) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(_("The image has too many pixels.")) from None
        if image.format == "MPO":   # a phone's JPEG with a second (depth) picture: its first is a JPEG
            image.format = "JPEG"
        if image.format not in FORMATS:
            raise _refuse(_("The photo must be a JPEG or PNG image, not {format}.").format(format=image.format))
        if image.width * image.height > MAX_PIXELS:
            raise _refuse(_("The image has too many pixels."))
        if min(image.size) < MIN_SIDE:
            raise _refuse(_("The image is too small: at least {n} pixels on each side.").format(n=MIN_SIDE))
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise _refuse(_("The image is damaged or incomplete.")) from None
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    image = ImageOps.exif_transpose(image)   # the orientation tag applied to the pixels
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    else:
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image = image.copy()
    image.info = {}   # the encoders copy EXIF, ICC profiles and text chunks from here
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def prepare(upload) -> Photo:
    """Check ``upload`` (a Django ``UploadedFile`` or any file object) and re-encode it; raises
    ValidationFailed on the field ``photo`` naming what is wrong."""
    data = _read(upload)
    image = _open(data)
    fmt = image.format
    content = _encode(image, fmt)
    with Image.open(io.BytesIO(content)) as stored:
        width, height = stored.size
    return Photo(content=content, sha256=hashlib.sha256(content).hexdigest(), content_type=FORMATS[fmt][0],
                 width=width, height=height)


def store(photo: Photo) -> str:
    """Save the photo under its hash name (once: the same bytes are the same file) and return it.
    A file saved by a transaction that then rolls back stays behind unreferenced, which is harmless."""
    if not default_storage.exists(photo.name):
        saved = default_storage.save(photo.name, ContentFile(photo.content))
        if saved != photo.name:  # another request stored the same bytes meanwhile
            default_storage.delete(saved)
    return photo.name


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def sha256_of(name: str) -> str:
    """The hash a stored photo is named by."""
    return name.rsplit("/", 1)[-1].split(".", 1)[0]


def http_response(name: str, *, if_none_match: str | None = None) -> HttpResponse:
    """The stored photo's bytes, for a caller that has checked who may see the person: a person's
    photo is never served from a public /media/ URL. ``private``: no shared cache keeps it; the
    hash is its ETag, so the browser asks again each time and gets a 304 while it is unchanged."""
    etag = f'"{sha256_of(name)}"'
    if if_none_match == etag:
        response = HttpResponseNotModified()
    else:
        with default_storage.open(name, "rb") as stored:
            response = HttpResponse(stored.read(), content_type=content_type_of(name))
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["ETag"] = etag
    return response
