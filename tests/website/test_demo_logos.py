"""The demo's PO KL 2007–2013 strip: captions only, on the programme, printed by the project."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lider.certification import printing
from lider.projects import logos
from lider.website.demo.project import PO_KL_STRIP

pytestmark = pytest.mark.django_db


def test_the_demo_prints_the_po_kl_captions_and_draws_no_mark(client, demo_project):
    strip = logos.strip_for(demo_project)
    assert [m.caption for m in strip.marks] == PO_KL_STRIP and not strip.own
    assert all(m.image == "" and m.programme.code == "PO KL" for m in strip.marks)
    page = client.get(f"/projekty/{demo_project.slug}/").content.decode()
    assert all(f'<span class="logo-caption">{caption}</span>' in page for caption in PO_KL_STRIP)
    certificate = demo_project.certificates.first()
    assert certificate.logos == [{"caption": c, "image": ""} for c in PO_KL_STRIP]
    pdf = printing.render([certificate])
    assert printing.checksum(pdf) == certificate.sha256
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert text.index(PO_KL_STRIP[0]) < text.index(PO_KL_STRIP[1])


def test_the_header_leaves_the_eu_mark_to_a_strip_shown_on_the_page(client, demo_card):
    results = reverse("website:results", kwargs={"slug": demo_card.slug})
    for path in (f"/projekty/{demo_card.slug}/", results):
        page = client.get(path).content.decode()
        assert page.count('class="funder-logo"') == 0, path
        assert '<ul class="logo-strip"' in page, path
    logos.copy_strip(logos.programme_of(demo_card), demo_card, actor=None)
    logos.drop_project_strip(demo_card, actor=None)
    logos.copy_strip(demo_card, logos.programme_of(demo_card), actor=None)  # now empty
    assert logos.strip_for(demo_card).marks == []
    page = client.get(f"/projekty/{demo_card.slug}/").content.decode()
    assert page.count('class="funder-logo"') == 1 and "logo-strip" not in page
    assert client.get("/").content.decode().count('class="funder-logo"') == 1
