"""The information clause in the browser: the coordinator opens it from the project card,
publishes a new version, and the public application form shows it at once (axe-core checks
every page on the way)."""

import pytest

pytestmark = pytest.mark.e2e

SLUG = "lider-na-rynku-ekonomii-spolecznej"
RETENTION = "Do 31 grudnia 2030 r. (aneks do umowy o dofinansowanie); potem anonimizacja."


def test_coordinator_publishes_a_new_version_shown_on_the_form(browser_page):
    checked, page = browser_page, browser_page.page
    checked.login("koordynator")
    checked.goto(f"/biuro/projekty/{SLUG}/")
    checked.follow(page.get_by_role("link", name="Klauzula informacyjna", exact=True))
    assert "Formularz pokazuje wersję 2018-05" in page.content()
    page.get_by_label("Okres przechowywania").fill(RETENTION)
    checked.follow(page.get_by_role("button", name="Opublikuj nową wersję"))
    body = page.content()
    assert "klauzuli informacyjnej" in body and "2018-05" in body  # the old version is kept
    assert page.locator("tbody tr").count() == 2
    checked.goto(f"/projekty/{SLUG}/zgloszenie/")
    assert RETENTION in page.content()
