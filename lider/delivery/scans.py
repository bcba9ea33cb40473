"""Checking an uploaded scan of a signed attendance list before it is kept.

A scan is evidence an auditor will open, so it must be exactly one thing: a PDF, a PNG or a
JPEG whose whole structure is checked, not just its first bytes.
- Images: every segment (JPEG) or chunk (PNG) is walked to the end marker, nothing may follow
  it, no PDF header may hide in it (a PDF/JPEG polyglot), and Pillow must decode every pixel.
- PDFs: pypdf parses the file and every object it holds (object streams included); anything
  active (JavaScript, actions run on opening, launching programs, embedded files, rich media,
  XFA forms) or encrypted is refused, and nothing may follow the last ``%%EOF``. Names are
  also looked for outside the streams, where a reader might find objects pypdf does not list.
Size, pixels, pages, objects and time are bounded; every refusal is a ``ValidationError``
with a Polish message.
"""

import io
import re
import struct
import time
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_PAGES = 200
MAX_OBJECTS = 20_000
TIME_LIMIT_SECONDS = 10.0
# PDF readers look for the header within the first kilobyte.
PDF_HEADER_WINDOW = 1024

KINDS = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}
# Names of active content: as keys or as values (/S /JavaScript, /Type /EmbeddedFile).
ACTIVE = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
    }
)
PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _not_a_scan() -> ValidationError:
    return _refuse(
        _("Upload a PDF, PNG or JPEG file (the scan of the signed list)."), code="file_type"
    )


def _damaged() -> ValidationError:
    return _refuse(
        _("The file is damaged or is not a complete PDF, PNG or JPEG file. Scan the list again."),
        code="damaged",
    )


def _two_formats() -> ValidationError:
    return _refuse(
        _(
            "The file holds more than one kind of file (for example a PDF hidden in an image). "
            "Upload the scan as saved by the scanner."
        ),
        code="polyglot",
    )


def check_signed_list(upload) -> tuple[str, str]:
    """Check an uploaded scan; return (extension, content type) or raise ValidationError."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _refuse(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than 10 MB."), code="too_large")
    kind = next((kind for magic, kind in KINDS.items() if data.startswith(magic)), None)
    if kind is None:
        raise _not_a_scan()
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    if kind[0] == "pdf":
        _check_pdf(data, deadline)
    else:
        if b"%PDF" in data[:PDF_HEADER_WINDOW]:
            raise _two_formats()
        end = _jpeg_end(data) if kind[0] == "jpg" else _png_end(data)
        if data[end:].strip(b"\x00"):
            raise _two_formats()
        _decode_image(data, kind[0])
    return kind


# Images


def _jpeg_end(data: bytes) -> int:
    """Offset just past the JPEG's end-of-image marker, walking every segment."""
    position, size = 2, len(data)
    while True:
        if position + 2 > size or data[position] != 0xFF:
            raise _damaged()
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # end of image
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart markers, TEM: no length
            position += 2
            continue
        if position + 4 > size:
            raise _damaged()
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > size:
            raise _damaged()
        segment = data[position + 4 : position + 2 + length]
        if b"%PDF" in segment:
            raise _two_formats()
        position += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= size:
                    raise _damaged()
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position += 1 if following == 0xFF else 2
                    continue
                break


def _png_end(data: bytes) -> int:
    """Offset just past the PNG's IEND chunk, walking (and checksumming) every chunk."""
    position, size = 8, len(data)
    while True:
        if position + 12 > size:
            raise _damaged()
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > size:
            raise _damaged()
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise _damaged()
        if kind in (b"tEXt", b"zTXt", b"iTXt") and b"%PDF" in body:
            raise _two_formats()
        if kind == b"IEND":
            return end
        position = end


def _decode_image(data: bytes, extension: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            expected = "JPEG" if extension == "jpg" else "PNG"
            if image.format != expected:
                raise _two_formats()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    _("The image is too large (over 60 million pixels). Scan at 300 dpi."),
                    code="too_many_pixels",
                )
            image.load()  # decodes every pixel: a truncated or corrupt image fails here
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError):
        raise _damaged() from None


# PDFs


def _check_pdf(data: bytes, deadline: float) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    last_eof = data.rfind(b"%%EOF")
    if last_eof < 0:
        raise _damaged()
    if data[last_eof + 5 :].strip():
        raise _two_formats()
    _check_names(STREAM_BODY.sub(b"stream endstream", data))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(
                _("The PDF is protected with a password. Upload it without protection."),
                code="encrypted",
            )
        ids = {idnum for by_id in reader.xref.values() for idnum in by_id}
        ids |= set(reader.xref_objStm)
        if len(ids) > MAX_OBJECTS:
            raise _refuse(
                _("The PDF is too complex to check. Save it again from the scanner program."),
                code="too_complex",
            )
        _walk(reader.trailer, deadline)
        for idnum in ids:
            _walk(reader.get_object(idnum), deadline)
        if len(reader.pages) > MAX_PAGES:
            raise _refuse(
                _("The PDF has more than %(max)d pages.") % {"max": MAX_PAGES},
                code="too_many_pages",
            )
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise _damaged() from None


def _active() -> ValidationError:
    return _refuse(
        _(
            "The PDF contains active content (JavaScript, actions, embedded files or forms), "
            "which a scan never has. Upload the scan as saved by the scanner."
        ),
        code="active_content",
    )


def _check_names(skeleton: bytes) -> None:
    """Active names in the file's text outside the streams, with #xx escapes decoded."""
    for match in PDF_NAME.finditer(skeleton):
        raw = match.group()
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        if raw.decode("latin-1") in ACTIVE:
            raise _active()


def _walk(value, deadline: float) -> None:
    """Look through one object's dictionaries and arrays (not following references)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    pending = [value]
    while pending:
        if time.monotonic() > deadline:
            raise _refuse(
                _("Checking the file took too long. Save it again from the scanner program."),
                code="too_slow",
            )
        item = pending.pop()
        if isinstance(item, DictionaryObject):
            for key, child in item.items():
                if key in ACTIVE:
                    raise _active()
                pending.append(child)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
        elif isinstance(item, NameObject) and item in ACTIVE:
            raise _active()
