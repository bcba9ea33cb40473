"""The scan of a signed list is checked whole: no polyglots, no active content, bounded."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery import scans, services
from tests.delivery import scan_files
from tests.delivery.conftest import url
from tests.delivery.factories import DeliveryTaskFactory, SessionFactory
from tests.factories import member

pytestmark = pytest.mark.django_db


def _check(data: bytes, name: str = "skan"):
    return scans.check_signed_list(SimpleUploadedFile(name, data))


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        _check(data)
    return error.value.code


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (scan_files.pdf, "pdf"),
        (scan_files.jpeg, "jpg"),
        (scan_files.progressive_jpeg, "jpg"),
        (scan_files.png, "png"),
    ],
)
def test_real_scans_are_accepted(make, kind):
    assert _check(make())[0] == kind


@pytest.mark.parametrize(
    "make",
    [
        scan_files.pdf_with_javascript,
        scan_files.pdf_with_open_action,
        scan_files.pdf_with_attachment,
        scan_files.pdf_with_escaped_name,
        scan_files.pdf_with_javascript_in_an_object_stream,
    ],
)
def test_pdfs_with_active_content_are_refused(make):
    assert _refused(make()) == "active_content"


@pytest.mark.parametrize("name", ["/RichMedia", "/XFA", "/AA", "/Launch", "/EmbeddedFile"])
def test_every_listed_active_name_is_refused(name):
    data = scan_files.pdf()
    at = data.index(b"/Type /Catalog")
    data = data[:at] + name.encode() + b" null " + data[at:]
    assert _refused(data) == "active_content"


def test_active_content_only_pypdf_sees_is_refused():
    data = scan_files.pdf_with_javascript_in_an_object_stream()
    assert b"/JS" not in data and b"/OpenAction" not in data
    scans._check_names(scans.STREAM_BODY.sub(b"", data))  # the byte search finds nothing
    assert _refused(data) == "active_content"


@pytest.mark.parametrize(
    "make",
    [
        scan_files.jpeg_with_pdf_inside,
        scan_files.jpeg_then_pdf,
        scan_files.png_then_pdf,
        scan_files.pdf_then_jpeg,
    ],
)
def test_polyglots_are_refused(make):
    assert _refused(make()) == "polyglot"


@pytest.mark.parametrize("make", [scan_files.truncated_jpeg, scan_files.png_with_bad_checksum])
def test_damaged_images_are_refused(make):
    assert _refused(make()) == "damaged"


def test_a_pdf_header_in_the_first_kilobyte_of_an_image_is_refused():
    data = scan_files.png()
    chunk = b"tEXt" + b"Comment\x00%PDF-1.7"
    text = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk))
    assert _refused(data[:33] + text + data[33:]) == "polyglot"


def test_an_image_of_too_many_pixels_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(buffer, "PNG")  # 70 million pixels in a few KB
    assert len(buffer.getvalue()) < 200_000
    assert _refused(buffer.getvalue()) == "too_many_pixels"


def test_a_pdf_of_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr(scans, "MAX_OBJECTS", 3)
    assert _refused(scan_files.pdf()) == "too_complex"


def test_checking_is_bounded_in_time(monkeypatch):
    monkeypatch.setattr(scans, "TIME_LIMIT_SECONDS", -1)
    assert _refused(scan_files.pdf()) == "too_slow"


def test_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(scan_files.pdf())))
    writer.encrypt("tajne")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _refused(buffer.getvalue()) == "encrypted"


def test_files_over_10_mb_are_refused():
    assert _refused(b"%PDF-" + b"0" * (10 * 1024 * 1024)) == "too_large"


def test_the_page_explains_the_refusal_in_polish_and_keeps_nothing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = DeliveryTaskFactory()
    session = SessionFactory(task=task)
    office = member(task.project, Role.OFFICE)
    client.force_login(office)
    setup = {"project": task.project}
    scan = SimpleUploadedFile("lista.pdf", scan_files.pdf_with_javascript())
    response = client.post(
        url("delivery:upload_signed_list", setup, pk=session.pk), {"scan": scan}, follow=True
    )
    assert "PDF zawiera aktywną zawartość" in response.content.decode()
    session.refresh_from_db()
    assert not session.signed_list
    assert not list(tmp_path.rglob("*.pdf"))
    assert not AuditEntry.objects.filter(content_type__model="session", action="update").exists()


def test_an_accepted_pdf_is_kept_byte_for_byte(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = DeliveryTaskFactory()
    session = SessionFactory(task=task)
    data = scan_files.pdf()
    services.upload_signed_list(session, upload=SimpleUploadedFile("lista.pdf", data), actor=None)
    session.refresh_from_db()
    assert session.signed_list.name.endswith(".pdf")
    assert session.signed_list.read() == data
