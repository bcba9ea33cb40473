"""The participant's own page on a 390 px phone: every column of the attendance table (the
place and the attendance too) is on the screen, without scrolling sideways."""

import pytest

pytestmark = pytest.mark.e2e

PARTICIPANT = ("uczestnik", "Demo-uczestnik-2009")  # lider/website/demo/users.py


def test_participants_attendance_fits_a_phone(phone_page):
    page = phone_page.page
    phone_page.goto("/biuro/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(PARTICIPANT[0])
    page.get_by_label("Hasło").fill(PARTICIPANT[1])
    phone_page.follow(page.get_by_role("button", name="Zaloguj"))
    if "/konto/" not in page.url:
        phone_page.goto("/konto/")

    cells = page.locator("table.stack-on-phone tbody td")
    assert cells.count() >= 5  # at least one session of five columns
    width = page.viewport_size["width"]
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    off_screen = [
        cells.nth(i).inner_text()
        for i, box in enumerate(boxes)
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width + 1
    ]
    assert off_screen == []
    labels = page.locator("table.stack-on-phone tbody tr").first.locator("td")
    names = [labels.nth(i).get_attribute("data-label") for i in range(labels.count())]
    assert names == ["Data", "Czas", "Temat", "Miejsce", "Obecność"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
