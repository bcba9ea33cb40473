"""The logo strip in documents: images with their captions as alternative text, captions
without an image printed as text (never as markup), in order, bounded."""

import io

import pypdf
from PIL import Image

from lider.core import documents
from lider.core.documents import Logo
from tests.core.test_documents import LOGO, attendance_list, certificate


def _text(pdf: bytes) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_captions_print_as_text_in_order_and_never_as_markup():
    strip = [Logo("Kapitał Ludzki"), Logo('#panic("x") *bold* $x$'), Logo("Unia Europejska")]
    text = _text(documents.render_attendance_list(attendance_list(logos=strip)))
    positions = [text.index(caption) for caption in ("Kapitał Ludzki", "#panic", "Unia Eur")]
    assert positions == sorted(positions)
    assert '#panic("x") *bold* $x$' in text


def test_a_long_caption_is_shortened_in_its_slot():
    pdf = documents.render_certificate(certificate(logos=[Logo("Znak " * 2000)]))
    assert _text(pdf).count("Znak") < 80


def test_a_raster_logo_prints_as_an_image_with_its_caption_as_alt_text():
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (0, 51, 153)).save(buffer, format="PNG")
    svg = documents.raster_svg(buffer.getvalue(), 200, 100)
    pdf = documents.render_certificate(certificate(logos=[Logo("Flaga UE", svg), LOGO]))
    assert "Flaga UE" not in _text(pdf)
    assert b"/Alt" in pdf
