"""In a real browser: the coordinator downloads each monitoring export (PEFS 2007, SL2014,
CST2021) and the progress report from their pages and the files are opened (calamine for XLSX,
csv for CST2021) to check the header against the layouts stored in the tests and the number
of rows; and a participant answers the four-weeks-after question from the e-mailed link,
without logging in. Every page is checked by axe-core (WCAG 2.1 A and AA)."""

import csv
import io
import json
import re
from email import message_from_bytes
from pathlib import Path

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from tests.e2e.conftest import SLUG, _run
from tests.reporting.test_exports import (
    CST2021_HEADER,
    PEFS2007_HEADER,
    PEFS2007_INSTITUTION_HEADER,
    SL2014_HEADER,
)

pytestmark = pytest.mark.e2e

# The rows each file should hold, computed by the export itself in the demo's database (the
# browser's file must be the same), beside the demo's known figures.
EXPECTED = """
import io, json
from django.contrib.auth.models import User
from lider.projects.models import Project
from lider.reporting.exports import monitoring
project = Project.objects.get(slug="%s")
actor = User.objects.get(username="koordynator")
counts = {}
for key in ("pefs2007", "sl2014", "cst2021"):
    result = monitoring.export_participants(
        project, key, actor=actor, full_sensitive=True, target=io.BytesIO()
    )
    counts[key] = [result.exported, result.institutions]
print(json.dumps(counts))
"""


def _download(office, profile: str, button: str) -> bytes:
    page = office.page
    office.goto(f"/biuro/projekty/{SLUG}/eksport/")
    item = page.get_by_role("listitem").filter(has_text=profile)
    office.follow(item.get_by_role("button", name=button), what=f"{profile} asked for")
    expect(page.get_by_role("status")).to_contain_text("gotowe")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Pobierz ")).click()
    return Path(download.value.path()).read_bytes()


def _sheets(content: bytes) -> dict[str, list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_coordinator_downloads_each_export_and_the_progress_report(browser_page, demo_env):
    counts = json.loads(_run(demo_env, "shell", "-c", EXPECTED % SLUG).strip().splitlines()[-1])
    office = browser_page
    office.login("koordynator")

    pefs = _sheets(_download(office, "PEFS 2007", "przygotuj XLSX"))
    people = pefs["Uczestnicy indywidualni"]
    assert people[0] == PEFS2007_HEADER
    assert len(people) - 1 == counts["pefs2007"][0] == 100  # the demo's trainees
    institutions = pefs["Instytucje"]
    assert institutions[0] == PEFS2007_INSTITUTION_HEADER
    assert len(institutions) - 1 == counts["pefs2007"][1] > 0
    assert pefs["Pracownicy instytucji"][0] == ["Nazwa instytucji", *PEFS2007_HEADER]

    sl2014 = _sheets(_download(office, "SL2014", "przygotuj XLSX"))["Uczestnicy"]
    assert sl2014[0] == SL2014_HEADER
    exported, institution_rows = counts["sl2014"]
    assert exported == 199  # 99 in training and advisory, one in training only
    assert len(sl2014) - 1 == exported + institution_rows
    # The situation at exit is filled on every person's row (the demo's are illustrative).
    situation = SL2014_HEADER.index("Sytuacja (1) osoby w momencie zakończenia udziału w projekcie")
    assert all(row[situation] for row in sl2014[1 : 1 + exported])

    content = _download(office, "CST2021", "przygotuj CSV")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CST2021_HEADER
    exported, institution_rows = counts["cst2021"]
    assert len(rows) - 1 == exported + institution_rows
    assert exported > 0 and institution_rows == 30  # the institutions after the people
    assert {row[2] for row in rows[1 + exported :]} == {"Instytucja"}

    page = office.page
    office.goto(f"/biuro/projekty/{SLUG}/sprawozdanie/?start=2009-12-01&end=2010-12-31")
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz XLSX").click()
    report = _sheets(Path(download.value.path()).read_bytes())
    assert len(report) >= 2
    for rows in report.values():
        assert rows[0][0] == "Sprawozdanie z postępu"
        assert rows[1][0].startswith("Lider na Rynku Ekonomii Społecznej (WND-POKL")
        assert sum(1 for cell in rows[3] if cell != "") >= 2  # the table's header
        assert len(rows) > 4  # and its rows


def _reminders(demo_env, live_base, tmp_path) -> list[str]:
    """Run the reminders command on the demo and return the links found in the e-mails."""
    env = {
        **demo_env,
        "SITE_URL": live_base,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    tmp_path.mkdir(exist_ok=True)
    _run(env, "send_later_reminders", "--project", SLUG)
    links = []
    for path in sorted(tmp_path.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            body = message_from_bytes(chunk.strip()).get_payload(decode=True).decode()
            links += re.findall(r"http\S+/sytuacja-po-udziale/\S+/", body)
    return links


def test_participant_answers_the_four_weeks_question_from_the_emailed_link(
    browser_page, demo_env, live_base, tmp_path
):
    links = _reminders(demo_env, live_base, tmp_path)
    assert links  # the demo's participants who have not answered (a fifth of them)
    visitor = browser_page
    page = visitor.page
    visitor.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Twoja sytuacja po projekcie")
    page.get_by_label("pracuje (w tym prowadzi działalność na własny rachunek)").check()
    visitor.follow(page.get_by_role("button", name="Wyślij odpowiedź"), what="answer sent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziękujemy")
    # The link now only thanks; an altered one is refused with a Polish page, nothing saved.
    visitor.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziękujemy")
    # Chromium logs a 410 page as a failed load: expected here, and nothing else may be.
    page.goto(links[1][:-4] + "xyz/")
    assert [error.split(": ", 1)[1] for error in visitor.errors] == [
        "Failed to load resource: the server responded with a status of 410 (Gone)"
    ]
    visitor.errors.clear()
    visitor.check("an altered link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tego linku nie można użyć")
    expect(page.get_by_role("alert")).to_have_text("Ten link jest nieprawidłowy.")
    recorded = _run(
        demo_env,
        "shell",
        "-c",
        "from lider.people.models import Participant as P; "
        "print(sorted(P.objects.filter(later_situation_source='participant')"
        ".values_list('later_situation', flat=True)))",
    )
    assert recorded.strip().splitlines()[-1] == "['employed']"
    # Run again: nobody is reminded twice.
    assert _reminders(demo_env, live_base, tmp_path / "again") == []
