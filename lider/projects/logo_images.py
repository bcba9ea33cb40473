"""Checking an uploaded logo and turning it into the one form Lider keeps: a plain PNG.

A logo is shown on public pages and printed on certificates and attendance lists, so it must
be exactly a picture. Only PNG and JPEG are taken, recognised by their content (the first
bytes and Pillow's own reading), never by the file's name or the browser's content type.
SVG is refused: a sanitiser that keeps every official mark right while removing every script,
external reference and entity trick is a project of its own, and a raster copy of a mark at
print resolution serves as well.

The picture is bounded in bytes, in pixels per side and in all, decoded whole (a truncated or
corrupt file fails here), and saved again as PNG by Pillow: whatever followed the image data
(a hidden second file), metadata (EXIF with a place or a camera) and colour profiles are left
behind. The stored name is the SHA-256 of that PNG, so a name always means the same picture:
a certificate that printed it prints it again byte for byte, and the file is never replaced.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
MIN_SIDE = 16
MAX_PIXELS = 8_000_000
# The PNG made from an upload: a logo compresses well, a photograph of noise does not.
MAX_STORED_BYTES = 4 * MAX_BYTES
FOLDER = "logos"
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class LogoImage:
    """A checked logo, as stored: a PNG, its storage name and its size in pixels."""

    png: bytes
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{FOLDER}/{hashlib.sha256(self.png).hexdigest()}.png"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _too_large() -> str:
    return _("The image is larger than 2 MB. Save it smaller (a logo needs no more).")


def check_logo(upload) -> LogoImage:
    """Check an uploaded file (anything with ``read``) and return it as a clean PNG."""
    too_large = _too_large()
    if getattr(upload, "size", None) is not None and upload.size > MAX_BYTES:
        raise _refuse(too_large, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise _refuse(too_large, code="too_large")
    expected = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if expected is None:
        raise _refuse(
            _("Upload the logo as a PNG or JPEG image (SVG and other formats are not accepted)."),
            code="file_type",
        )
    return _normalised(data, expected)


def _normalised(data: bytes, expected: str) -> LogoImage:
    from PIL import Image

    damaged = _("The image is damaged or incomplete. Save it again and upload it.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise _refuse(damaged, code="damaged")
            width, height = image.size
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise _refuse(
                    _(
                        "The image is too large (%(width)d × %(height)d pixels; at most "
                        "%(side)d pixels a side and 8 million in all)."
                    )
                    % {"width": width, "height": height, "side": MAX_SIDE},
                    code="too_many_pixels",
                )
            if min(width, height) < MIN_SIDE:
                raise _refuse(
                    _("The image is too small to print (at least %(side)d pixels a side).")
                    % {"side": MIN_SIDE},
                    code="too_few_pixels",
                )
            image.load()  # decodes every pixel: a truncated or corrupt image fails here
            alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
            clean = image.convert("RGBA" if alpha else "RGB")
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(damaged, code="damaged") from None
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG")
    if buffer.tell() > MAX_STORED_BYTES:  # noise, not a logo: a logo compresses well
        raise _refuse(_too_large(), code="too_large")
    return LogoImage(png=buffer.getvalue(), width=width, height=height)


def store(logo: LogoImage) -> str:
    """Keep the PNG in the file storage under its checksum (once); return its name."""
    name = logo.name
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(logo.png))
        if saved != name:  # saved meanwhile by someone else: keep one copy
            default_storage.delete(saved)
    return name


def read(name: str) -> bytes:
    """The stored PNG; raises OSError (FileNotFoundError) when it is not there."""
    with default_storage.open(name, "rb") as handle:
        return handle.read(MAX_STORED_BYTES + 1)
