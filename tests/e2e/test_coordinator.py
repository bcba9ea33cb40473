"""A coordinator and a trainer in a real browser, from a session's edit to a certificate's QR.

The coordinator changes only a session's capacity and its trainer is still there; the trainer,
on a 390 px phone, marks a participant who had missed it present and the summary follows
without a reload; the coordinator makes that session required for the task's certificate and
issues one to that participant; the QR code printed on its PDF opens the public verification
page. Every page on the way is checked by axe-core (WCAG 2.1 A and AA).
"""

import io
import re

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e

# The attendance summary's figures, in order: on the list, present, late, excused, absent,
# not marked.
PRESENT, EXCUSED, ABSENT = 1, 3, 4


def figures(text: str) -> list[int]:
    return [int(number) for number in re.findall(r"\d+", text)]


def exactly(numbers: list[int]) -> re.Pattern:
    return re.compile(r"^\D*" + r"\D+".join(map(str, numbers)) + r"\D*$")


def fact(page, term: str):
    """The value (dd) of a fact (dt) on a page's fact list."""
    return page.locator("dl.card-facts dt", has_text=re.compile(term)).locator(
        "xpath=following-sibling::dd[1]"
    )


def qr_url(pdf: bytes) -> str:
    image = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].render(scale=3).to_pil()
    [url] = [code.text for code in zxingcpp.read_barcodes(image)]
    return url


def test_session_edit_keeps_trainer_who_marks_attendance_then_certificate_qr(
    browser_page, phone_page, demo_facts, live_demo
):
    session = demo_facts["session"]
    session_path = f"/biuro/projekty/{SLUG}/zajecia/{session['pk']}/"

    # The coordinator changes only the capacity.
    office = browser_page
    page = office.page
    office.login("koordynator")
    office.goto(session_path)
    expect(fact(page, "^Trener")).to_have_text("Tomasz Wójcik")
    office.follow(page.get_by_role("link", name="Edytuj zajęcia"))
    capacity = (session["capacity"] or 20) + 5
    page.get_by_label("Liczba miejsc").fill(str(capacity))
    office.follow(page.get_by_role("button", name="Zapisz"), what="after saving")
    expect(page).to_have_url(office.url(session_path))
    expect(fact(page, "^Liczba miejsc")).to_have_text(str(capacity))
    expect(fact(page, "^Trener")).to_have_text("Tomasz Wójcik")

    # The trainer, on a phone, finds the session among theirs and marks the one who missed it.
    trainer = phone_page
    phone = trainer.page
    trainer.login("trener")
    trainer.goto(f"/biuro/projekty/{SLUG}/zajecia/moje/")
    trainer.follow(phone.locator(f"main a[href$='/zajecia/{session['pk']}/']").first, tap=True)
    expect(phone).to_have_url(trainer.url(session_path))
    summary = phone.locator("main p", has_text=re.compile("^(Na liście|On the list)"))
    before = figures(summary.inner_text())
    assert len(before) == 6, before
    row = phone.locator("li.attendee", has_text=session["missed_by"])
    phone.evaluate("window.e2eNotReloaded = true")
    row.get_by_role("button", name="obecny", exact=True).tap()
    expect(row.get_by_role("button", name="obecny", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expected = list(before)
    expected[PRESENT] += 1
    expected[EXCUSED if session["missed_as"] == "excused" else ABSENT] -= 1
    expect(summary).to_have_text(exactly(expected))
    assert phone.evaluate("window.e2eNotReloaded === true"), "the page was reloaded"
    trainer.check("after the tap")
    # The mark is stored: the coordinator sees it too.
    office.goto(session_path)
    expect(page.locator("main p", has_text=re.compile("^Na liście"))).to_have_text(
        exactly(expected)
    )

    # The coordinator makes this session required for the task's certificate and issues it.
    office.goto(f"/biuro/projekty/{SLUG}/certyfikaty/zadania/{session['task']}/")
    office.follow(page.get_by_role("link", name="Zmień warunek ukończenia"))
    page.get_by_label(f"({session['date']})", exact=False).check()
    office.follow(page.get_by_role("button", name="Zapisz"), what="after saving the rule")
    holder = page.locator("tr", has_text=session["missed_by"])
    office.follow(holder.get_by_role("button", name="wydaj"), what="the certificate issued")
    issued = page.locator(".messages")
    expect(issued).to_contain_text(re.compile("wydan", re.IGNORECASE))
    number = re.search(r"LRES/\d{4}/\d{3}", issued.inner_text()).group(0)

    pdf_link = page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    response = page.request.get(office.url(pdf_link))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    url = qr_url(response.body())
    assert url.startswith(f"{live_demo}/weryfikacja/"), url

    # Anyone with a phone camera: the QR opens the public verification page.
    reader = phone_page
    reader.goto(url)
    main = phone.locator("main")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(number)
    expect(main).to_contain_text(re.compile("(certyfikat|zaświadczenie) jest ważn"))
    expect(main).to_contain_text(session["missed_by"])
