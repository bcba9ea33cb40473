"""A coordinator asks for a monitoring export in a real browser and downloads it from the
job's page (the live demo runs tasks inline, so the file is ready when the page opens);
every page is checked by axe-core (WCAG 2.1 A and AA)."""

import io

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e


def test_coordinator_prepares_an_export_and_downloads_it(browser_page):
    office = browser_page
    page = office.page
    office.login("koordynator")
    office.goto(f"/biuro/projekty/{SLUG}/eksport/")

    item = page.get_by_role("listitem").filter(has_text="PEFS 2007")
    office.follow(item.get_by_role("button", name="przygotuj XLSX"), what="export asked for")

    status = page.get_by_role("status")
    expect(status).to_contain_text("gotowe")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz pefs2007_").click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith(f"pefs2007_{SLUG}_")
    with open(path, "rb") as handle:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0)
    assert len(rows.to_python()) > 1  # the header and the demo's participants

    # The exports page lists the file among the coordinator's recent ones.
    office.follow(page.get_by_role("link", name="Eksport danych monitoringowych"))
    expect(page.get_by_role("heading", name="Twoje ostatnie pliki")).to_be_visible()
