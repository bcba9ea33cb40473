"""The attendance list prints the project's logo strip in its order."""

import io

import pytest
from pypdf import PdfReader

from lider.projects import logos
from tests.delivery.conftest import url

pytestmark = pytest.mark.django_db

KL = "Kapitał Ludzki – Narodowa Strategia Spójności"
EU = "Unia Europejska – Europejski Fundusz Społeczny"


def _header(client, setup) -> str:
    client.force_login(setup["office"])
    pdf = client.get(url("delivery:list_pdf", setup, pk=setup["session"].pk)).content
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_attendance_list_prints_the_strip_in_order(client, setup):
    project = setup["project"]
    logos.add_mark(project, actor=None, caption=EU)
    logos.add_mark(project, actor=None, caption=KL)
    text = _header(client, setup)
    assert KL in text and EU in text and text.index(EU) < text.index(KL)


def test_attendance_list_prints_the_longest_caption_in_its_slot(client, setup):
    from lider.projects.models import LOGO_CAPTION_MAX_LENGTH

    caption = ("Regionalny Program Operacyjny " * 10)[:LOGO_CAPTION_MAX_LENGTH]
    logos.add_mark(setup["project"], actor=None, caption=caption)
    text = _header(client, setup)
    assert text.startswith("Regionalny Program Operacyjny")
    assert setup["project"].title in text  # the header still carries the project after it


def test_attendance_list_without_a_strip_prints_the_eu_flag_as_certificates_do(
    client, setup, monkeypatch
):
    from lider.delivery.views import attendance

    printed = []
    render = attendance.render_attendance_list

    def spy(data, **kwargs):
        printed.append(data.logos)
        return render(data, **kwargs)

    monkeypatch.setattr(attendance, "render_attendance_list", spy)
    _header(client, setup)
    assert printed == [[logos.eu_flag()]]
    assert logos.document_logos([]) == [logos.eu_flag()]  # the one rule, certificates too
