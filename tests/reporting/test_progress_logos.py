"""The progress report's PDF carries the project's logo strip in its order."""

import datetime
import io

import pytest
from pypdf import PdfReader

from lider.projects import logos
from lider.reporting.exports.progress import progress_data, render_pdf
from tests.reporting.builders import build

pytestmark = pytest.mark.django_db

STRIP = ["Kapitał Ludzki – Narodowa Strategia Spójności", "Unia Europejska – EFS"]


def test_progress_report_prints_the_strip_in_order():
    world = build(women=1, men=1)
    for caption in STRIP:
        logos.add_mark(world.project, actor=None, caption=caption)
    data = progress_data(world.project, datetime.date(2010, 3, 1), datetime.date(2010, 3, 31))
    pdf = render_pdf(data, today=datetime.date(2010, 4, 5))
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert all(caption in text for caption in STRIP)
    assert text.index(STRIP[0]) < text.index(STRIP[1])
