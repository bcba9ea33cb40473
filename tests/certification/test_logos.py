"""Certificates print the project's logo strip as it was at issue."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from lider.certification import issuing, printing, services
from lider.projects import logo_images, logos
from lider.projects.models import ProgrammeNode

pytestmark = pytest.mark.django_db

KL = "Kapitał Ludzki – Narodowa Strategia Spójności"
EU = "Unia Europejska – Europejski Fundusz Społeczny"
AT = datetime.datetime(2010, 12, 20, 12, tzinfo=datetime.UTC)


def _text(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def _images(pdf: bytes) -> int:
    """Raster images drawn on the first page, inside form XObjects too."""
    found, pending = 0, [PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]]
    while pending:
        resources = pending.pop()
        for item in resources.get("/XObject", {}).values():
            item = item.get_object()
            if item["/Subtype"] == "/Image":
                found += 1
            elif "/Resources" in item:
                pending.append(item["/Resources"])
    return found


def _issue(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    return issuing.issue_certificate(
        training.task, training.participants[0], actor=None, issued_at=AT, notify=False
    )


def _programme_strip(training):
    root = ProgrammeNode.objects.create(level="programme", code="PO KL", name="PO KL 2007–2013")
    training.project.classification.parent = root
    training.project.classification.save()
    logos.add_mark(root, actor=None, caption=KL)
    logos.add_mark(root, actor=None, caption=EU)
    return root


def test_certificate_prints_the_captions_in_order_and_keeps_them(training):
    root = _programme_strip(training)
    certificate = _issue(training)
    assert certificate.logos == [{"caption": KL, "image": ""}, {"caption": EU, "image": ""}]
    text = _text(printing.render([certificate]))
    assert KL in text and EU in text and text.index(KL) < text.index(EU)
    # A later change of the strip does not change an issued certificate: same bytes.
    logos.add_mark(root, actor=None, caption="Samorząd Województwa Śląskiego")
    assert printing.checksum(printing.render([certificate])) == certificate.sha256


def test_certificate_prints_an_uploaded_image_with_its_caption_as_alt(training, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 51, 153)).save(buffer, format="PNG")
    image = logo_images.check_logo(SimpleUploadedFile("flaga.png", buffer.getvalue()))
    logos.add_mark(training.project, actor=None, caption=EU, image=image)
    certificate = _issue(training)
    pdf = printing.render([certificate])
    assert _images(pdf) == 1
    assert EU not in _text(pdf)  # the image stands for the caption, which is its alt text
    assert b"/Alt" in pdf


def test_certificate_without_a_strip_prints_the_eu_flag_as_before(training):
    certificate = _issue(training)
    assert certificate.logos == []
    assert printing.certificate_data(certificate).logos == [logos.eu_flag()]
