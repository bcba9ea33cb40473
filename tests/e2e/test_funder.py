"""The funder in a real browser: from the login to the roll-up, filtering it by county and
period, and drilling down into the demo project's dashboard, where it finds nothing to change.
Every page on the way is checked by axe-core (WCAG 2.1 A and AA)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e


def figure(page, name: str) -> int:
    return int(page.locator(f'[data-figure="{name}"]').inner_text())


def test_funder_views_filters_and_drills_down_the_roll_up(browser_page):
    office = browser_page
    page = office.page
    office.login("instytucja")
    office.follow(page.get_by_role("link", name="Zestawienie projektów"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zestawienie projektów")
    row = page.locator(f'tr[data-project="{SLUG}"]')
    expect(row).to_contain_text("Lider na Rynku Ekonomii Społecznej")
    everyone = figure(page, "participants")
    assert everyone > 0
    # Special categories are not for a funder: the count is masked.
    expect(page.locator('[data-figure="disabled"]')).to_have_text("(ukryte)")

    # One county of the project: fewer (or as many) participants, the project still there.
    county = page.get_by_label("Powiat")
    choice = county.locator("option").nth(1)
    county.select_option(value=choice.get_attribute("value"))
    office.follow(page.get_by_role("button", name="Filtruj"))
    expect(row).to_be_visible()
    assert 0 < figure(page, "participants") <= everyone

    # A period before the project: no project in the roll-up.
    county.select_option(value="")
    page.get_by_label("Od", exact=True).fill("2005-01-01")
    page.get_by_label("Do", exact=True).fill("2005-12-31")
    office.follow(page.get_by_role("button", name="Filtruj"))
    expect(page.get_by_text("Żaden projekt nie spełnia filtrów")).to_be_visible()

    # The project's period: it is back, and opens into its dashboard for that period.
    page.get_by_label("Od", exact=True).fill("2009-01-01")
    page.get_by_label("Do", exact=True).fill("2010-12-31")
    office.follow(page.get_by_role("button", name="Filtruj"))
    office.follow(row.get_by_role("link", name=re.compile("Lider na Rynku")))
    expect(page).to_have_url(re.compile(rf"/biuro/projekty/{SLUG}/wskazniki/\?start=2009-01-01"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wskaźniki i rezultaty")
    # Nothing to write for a reader: no "New indicator" link, no link to the people list.
    expect(page.get_by_role("link", name="Nowy wskaźnik")).to_have_count(0)
    expect(page.locator(f'a[href="/biuro/projekty/{SLUG}/osoby/"]')).to_have_count(0)
