"""In a real browser: the coordinator switches the project's hours unit on the card from
teaching hours (45 min) to clock hours (60 min) and a participant's attendance share follows
it (the same minutes, counted and labelled in the new unit). The office records an
institution's dates of support (refused when wrong, audited). The progress report with its
breakdown for the payment claim, opened by the coordinator (disadvantaged groups counted) and
by the funder's account, which may not see special-category data (those figures hidden, the
rest shown). axe-core on every page."""

import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG, _run

pytestmark = pytest.mark.e2e

# A participant of a training task with attended sessions, and where their page is.
FACTS = """
import json
from lider.delivery.models import Attendance
mark = (
    Attendance.objects.filter(session__task__project__slug="%s", status="present",
                              session__task__kind="training_cycle")
    .order_by("participant__person__last_name", "participant_id").first()
)
print(json.dumps({"task": mark.session.task_id, "participant": mark.participant_id}))
"""
RESTORE = """
from lider.projects.models import Project
Project.objects.filter(slug="%s").update(hours_unit="teaching")
"""
SHARE = re.compile(r"Obecność: ([\d,]+) z ([\d,]+) godz\. \((godziny [a-z]+ \(\d+ min\))\)")


def _share(page) -> tuple[Decimal, Decimal, str]:
    text = page.get_by_text(SHARE).inner_text()
    attended, total, unit = SHARE.search(text).groups()
    return Decimal(attended.replace(",", ".")), Decimal(total.replace(",", ".")), unit


def test_the_hours_unit_on_the_card_changes_the_attendance_share(browser_page, demo_env):
    facts = json.loads(_run(demo_env, "shell", "-c", FACTS % SLUG).strip().splitlines()[-1])
    office = browser_page
    page = office.page
    office.login("koordynator")
    share_page = (
        f"/biuro/projekty/{SLUG}/zajecia/zadania/{facts['task']}/uczestnicy/{facts['participant']}/"
    )
    try:
        office.goto(share_page)
        attended, total, unit = _share(page)
        assert unit == "godziny dydaktyczne (45 min)"
        assert total > 0

        office.goto(f"/biuro/projekty/{SLUG}/edycja/")
        unit_field = page.get_by_label("Jednostka godzin")
        expect(unit_field).to_have_value("teaching")
        unit_field.select_option(label="godziny zegarowe (60 min)")
        office.follow(page.get_by_role("button", name="Zapisz"), what="card saved")
        expect(page.get_by_text("godziny zegarowe (60 min)").first).to_be_visible()

        office.goto(share_page)
        attended_clock, total_clock, unit = _share(page)
        assert unit == "godziny zegarowe (60 min)"
        # The same minutes: 4 teaching hours are 3 clock hours.
        assert total_clock == (total * 45 / 60).quantize(Decimal("0.01"))
        assert attended_clock == (attended * 45 / 60).quantize(Decimal("0.01"))
        header = page.get_by_role("columnheader", name="Godziny zegarowe (60 min)")
        expect(header).to_be_visible()
    finally:
        _run(demo_env, "shell", "-c", RESTORE % SLUG)


PERIOD = f"/biuro/projekty/{SLUG}/sprawozdanie/?start=2009-12-01&end=2010-12-31"
HIDDEN = "ukryte"


def _breakdown(page) -> dict[str, list[list[str]]]:
    tables = {}
    for table in page.locator("table:has(caption)").all():
        caption = table.locator("caption").inner_text()
        tables[caption] = [
            row.locator("th, td").all_inner_texts() for row in table.locator("tbody tr").all()
        ]
    return tables


def test_progress_breakdown_hides_special_categories_from_the_funder(browser_page):
    office = browser_page
    page = office.page
    office.login("koordynator")
    office.goto(PERIOD)
    expect(
        page.get_by_role("heading", name="Podział na potrzeby wniosku o płatność")
    ).to_be_visible()
    full = _breakdown(page)
    assert len(full) >= 6
    disadvantaged = next(rows for caption, rows in full.items() if "niekorzystnej" in caption)
    assert len(disadvantaged) == 4
    assert all(cell != "—" for row in disadvantaged for cell in row[1:])
    assert not any(HIDDEN in row[0] for row in disadvantaged)
    office.page.context.clear_cookies()

    office.login("instytucja")
    office.goto(PERIOD)
    funder = _breakdown(page)
    assert set(funder) == set(full)
    hidden = next(rows for caption, rows in funder.items() if "niekorzystnej" in caption)
    assert len(hidden) == 1 and HIDDEN in hidden[0][0]
    assert all(cell == "—" for cell in hidden[0][1:])
    # Everything else is the same for both roles.
    for caption, rows in full.items():
        if "niekorzystnej" not in caption:
            assert funder[caption] == rows


INSTITUTION = """
import json
from lider.people.models import Participant
p = (
    Participant.objects.filter(project__slug="%s", institution__isnull=False)
    .order_by("-institution__name").first()
)
print(json.dumps({
    "participant": p.pk, "institution": p.institution_id, "name": p.institution.name,
    "start": p.start_date and p.start_date.isoformat(),
    "end": p.end_date and p.end_date.isoformat(), "source": p.start_source,
}))
"""
PUT_BACK = """
import datetime
from lider.people.models import Participant
Participant.objects.filter(pk=%(participant)s).update(
    start_date=%(start)r and datetime.date.fromisoformat(%(start)r),
    end_date=%(end)r and datetime.date.fromisoformat(%(end)r), start_source=%(source)r,
)
"""


def _refused(office, what: str) -> None:
    """Submit the dates and expect them refused: Chromium logs the 400 page as a failed load,
    expected here, and nothing else may be."""
    with office.page.expect_navigation():
        office.page.get_by_role("button", name="Zapisz daty wsparcia").click()
    office.page.wait_for_load_state("load")
    assert [error.split(": ", 1)[1] for error in office.errors] == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    office.errors.clear()
    office.check(what)


def test_office_records_an_institutions_dates_of_support(browser_page, demo_env):
    facts = json.loads(_run(demo_env, "shell", "-c", INSTITUTION % SLUG).strip().splitlines()[-1])
    office = browser_page
    page = office.page
    office.login("koordynator")
    try:
        office.goto(f"/biuro/projekty/{SLUG}/instytucje/{facts['institution']}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(facts["name"])
        expect(page.get_by_role("heading", name="Wsparcie instytucji")).to_be_visible()
        # The end before the start: refused, in Polish, nothing saved.
        page.get_by_label("Początek wsparcia instytucji").fill("2010-05-20")
        page.get_by_label("Koniec wsparcia instytucji").fill("2010-05-10")
        _refused(office, "end before start")
        expect(
            page.get_by_text("Koniec wsparcia nie może przypadać przed jego początkiem.")
        ).to_be_visible()
        # Outside the project's period: refused too.
        page.get_by_label("Koniec wsparcia instytucji").fill("2011-02-01")
        _refused(office, "outside the project")
        expect(
            page.get_by_text("Dzień musi przypadać w okresie realizacji projektu")
        ).to_be_visible()

        page.get_by_label("Koniec wsparcia instytucji").fill("2010-10-29")
        office.follow(page.get_by_role("button", name="Zapisz daty wsparcia"), what="saved")

        expect(page.get_by_text("Daty wsparcia zostały zapisane.")).to_be_visible()
        support = page.locator("dl").filter(has_text="Początek wsparcia instytucji")
        expect(support).to_contain_text("20.05.2010 (wpisane przez biuro)")
        expect(support).to_contain_text("29.10.2010 (wpisane przez biuro)")
        # The change is on the institution's participation record, with the actor.
        audit = _run(
            demo_env,
            "shell",
            "-c",
            "from lider.core.models import AuditEntry; e = AuditEntry.objects.filter("
            "content_type__model='participant', "
            f"object_id='{facts['participant']}').latest('pk'); "
            "print(e.actor.username, e.changes['start_date'][1], e.changes['end_date'][1])",
        )
        assert audit.strip().splitlines()[-1] == "koordynator 2010-05-20 2010-10-29"
    finally:
        _run(demo_env, "shell", "-c", PUT_BACK % facts)
