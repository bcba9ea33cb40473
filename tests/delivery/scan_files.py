"""Real scan files and hostile variants of them, for the signed-list upload tests."""

import io
import struct
import zlib

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def _page(size=(620, 877)) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for row in range(12):
        draw.line((40, 80 + row * 60, 580, 80 + row * 60), fill=0, width=2)
    return image


def jpeg() -> bytes:
    buffer = io.BytesIO()
    _page().save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def progressive_jpeg() -> bytes:
    buffer = io.BytesIO()
    _page().convert("RGB").save(buffer, "JPEG", quality=80, progressive=True)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    _page().save(buffer, "PNG")
    return buffer.getvalue()


def pdf(pages: int = 2) -> bytes:
    """What a scanner saves: one image per page."""
    buffer = io.BytesIO()
    images = [_page() for _n in range(pages)]
    images[0].save(buffer, "PDF", resolution=72, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _rewrite(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the catalogue's name tree."""

    def change(writer):
        action = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('x');"),
                }
            )
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("x"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )

    return _rewrite(change)


def pdf_with_open_action() -> bytes:
    def change(writer):
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return _rewrite(change)


def pdf_with_attachment() -> bytes:
    return _rewrite(lambda writer: writer.add_attachment("payload.exe", b"MZ\x90\x00"))


def pdf_with_escaped_name() -> bytes:
    """/OpenAction written with #xx escapes in the file's text."""
    data = pdf_with_open_action()
    assert b"/OpenAction" in data
    return data.replace(b"/OpenAction", b"/Op#65nAction", 1)


def pdf_with_javascript_in_an_object_stream() -> bytes:
    """The catalogue, with an /OpenAction running JavaScript, inside a compressed object
    stream: no active name appears in the file's bytes."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b" "
    header = b" ".join(b"%d %d" % (n + 1, offsets[n]) for n in range(len(objects))) + b" "
    packed = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += (
        b"4 0 obj\n<</Type/ObjStm/N 3/First %d/Length %d/Filter/FlateDecode>>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(out)
    rows = [(0, 0, 0xFFFF), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, stream_at, 0), (1, xref_at, 0)]
    table = zlib.compress(b"".join(struct.pack(">BIH", *row) for row in rows))
    out += (
        b"5 0 obj\n<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Length %d/Filter/FlateDecode>>\n"
        b"stream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out


def jpeg_with_pdf_inside() -> bytes:
    """A JPEG/PDF polyglot: a PDF in a comment segment at the start of the JPEG."""
    image, document = jpeg(), pdf_with_javascript()[:60000]
    comment = b"\xff\xfe" + struct.pack(">H", len(document) + 2) + document
    return image[:2] + comment + image[2:]


def jpeg_then_pdf() -> bytes:
    """A JPEG with a PDF appended after its end marker."""
    return jpeg() + pdf()


def png_then_pdf() -> bytes:
    return png() + pdf()


def pdf_then_jpeg() -> bytes:
    return pdf() + jpeg()


def truncated_jpeg() -> bytes:
    data = jpeg()
    return data[: len(data) // 2]


def png_with_bad_checksum() -> bytes:
    data = bytearray(png())
    data[40] ^= 0xFF
    return bytes(data)
