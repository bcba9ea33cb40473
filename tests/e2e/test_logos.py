"""A coordinator edits the project's logo strip in a real browser and sees it on the public
pages: the demo's PO KL strip (captions only) copied into the project, a mark with an image
added and moved, a fake PNG refused with a Polish message, and back to the programme's strip.
Every page on the way is checked by axe-core (WCAG 2.1 A and AA)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e

KL = "Kapitał Ludzki – Narodowa Strategia Spójności"
EU = "Unia Europejska – Europejski Fundusz Społeczny"
PARTNER = "Partner projektu (logo testowe)"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 120), (0, 51, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


def _strip(page) -> list[str]:
    """The public strip in order: a caption's text, or an image's alternative text."""
    items = page.locator("ul.logo-strip li")
    return [
        items.nth(i).locator("img").get_attribute("alt")
        if items.nth(i).locator("img").count()
        else items.nth(i).inner_text().strip()
        for i in range(items.count())
    ]


def test_coordinator_edits_the_strip_and_sees_it_on_the_public_pages(browser_page):
    checked = browser_page
    page = checked.page
    strip_path = f"/biuro/projekty/{SLUG}/logotypy/"
    checked.login("koordynator")
    checked.goto(f"/biuro/projekty/{SLUG}/")
    checked.follow(page.locator("a.edit-action", has_text="Pasek logotypów"))
    expect(page).to_have_url(checked.url(strip_path))
    expect(page.locator("main")).to_contain_text("drukuje pasek logotypów swojego programu")
    assert _strip(page) == [KL, EU]

    checked.follow(page.get_by_role("button", name="Skopiuj pasek logotypów programu"))
    expect(page.locator(".messages")).to_contain_text("własną kopię")

    # A fake PNG (text named .png) is refused, in Polish, and nothing is added.
    page.locator("#id_new-caption").fill(PARTNER)
    page.locator("#id_new-image").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": b"<svg onload=alert(1)>"}
    )
    checked.follow(page.get_by_role("button", name="Dodaj znak"), what="fake PNG refused")
    expect(page.locator("main")).to_contain_text("PNG lub JPEG")
    assert _strip(page) == [KL, EU]

    page.locator("#id_new-caption").fill(PARTNER)
    page.locator("#id_new-image").set_input_files(
        {"name": "partner.png", "mimeType": "image/png", "buffer": _png()}
    )
    checked.follow(page.get_by_role("button", name="Dodaj znak"), what="mark added")
    assert _strip(page) == [KL, EU, PARTNER]
    partner = page.locator("ol.logo-marks > li").nth(2)
    checked.follow(partner.get_by_role("button", name="Przesuń wcześniej"), what="moved")
    assert _strip(page) == [KL, PARTNER, EU]

    for path in (f"/projekty/{SLUG}/", f"/projekty/{SLUG}/rezultaty/"):
        checked.goto(path)
        assert _strip(page) == [KL, PARTNER, EU], path
        image = page.locator("ul.logo-strip img")
        expect(image).to_have_attribute("alt", PARTNER)
        assert image.evaluate("img => img.complete && img.naturalWidth") == 240

    # Back to the programme's strip: the demo as it was.
    checked.goto(strip_path)
    checked.follow(page.get_by_role("button", name="Usuń pasek logotypów tego projektu"))
    checked.goto(f"/projekty/{SLUG}/")
    assert _strip(page) == [KL, EU]
