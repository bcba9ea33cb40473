"""An office imports people from a spreadsheet in a real browser, with the background worker:
the upload's check runs in `lider worker` while the preview shows its progress; a bad file
lists every error by row and column in Polish and nothing is written; a good file is imported
by a second job whose page shows the rows checked and written. Every page is checked by
axe-core (WCAG 2.1 A and AA).

The session's demo server runs tasks inline, so this test serves the same demo database a
second time with the database tasks backend (as production does) and runs the worker itself
(`lider worker --batch`) at the moment the page is waiting for it.
"""

import socket

import pytest
from playwright.sync_api import expect
from stdnum.pl import pesel as stdnum_pesel

from tests.e2e.conftest import SLUG, _finish, _open, _run, served

pytestmark = pytest.mark.e2e

HEADER = "Imię;Nazwisko;PESEL;Płeć;Data urodzenia;Gmina;Wykształcenie;Status na rynku pracy"
COUNT = f"""
from lider.recruitment.models import Application
print(Application.objects.filter(source="import", project__slug="{SLUG}").count())
"""


def pesel(day: int, serial: int) -> str:
    body = f"8503{day:02d}{serial:03d}4"  # women born in March 1985
    return body + stdnum_pesel.calc_check_digit(body)


@pytest.fixture
def worker_env(demo_env):
    return {**demo_env, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


@pytest.fixture
def office(request, chromium, worker_env):
    """A browser tab on the demo served with the database tasks backend."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with served(worker_env, port, "serve-worker.log") as base:
        context, checked = _open(
            chromium, base, viewport={"width": 1280, "height": 800}, locale="pl-PL"
        )
        yield checked
        _finish(request, context, checked)


def upload(office, tmp_path, name: str, rows: list[str]) -> None:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    office.goto(f"/biuro/projekty/{SLUG}/rekrutacja/import/")
    office.page.get_by_label("Arkusz (XLSX lub CSV)").set_input_files(str(path))
    office.follow(office.page.get_by_role("button", name="Sprawdź plik"), what="uploaded")


def work(office, worker_env, *, waiting: str) -> None:
    """The page waits for the worker (progress polled, announced politely); the worker runs."""
    status = office.page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text(waiting)
    expect(office.page.locator("progress")).to_be_visible()
    _run(worker_env, "worker", "--batch", "--no-startup-delay")


def test_office_imports_through_the_worker_and_a_bad_file_writes_nothing(
    office, worker_env, tmp_path
):
    page = office.page
    before = int(_run(worker_env, "shell", "-c", COUNT).strip().splitlines()[-1])
    office.login("koordynator")

    # A bad file: every error by row and column, in Polish; nothing can be imported.
    upload(
        office,
        tmp_path,
        "zle.csv",
        [
            f"Anna;Nowak;{pesel(1, 1)[:-1]}0;;;2404052;ponadgimnazjalne;bierny zawodowo",
            f"Ewa;;{pesel(2, 2)};;;;doktorat;bierny zawodowo",
        ],
    )
    work(office, worker_env, waiting="Plik jest sprawdzany w tle")
    errors = page.get_by_role("table", name="Błędy")
    expect(errors).to_be_visible()  # the page reloaded by itself once the check was over
    office.check("the check's outcome")
    expect(page.get_by_role("alert").first).to_contain_text("Nic nie zostanie zaimportowane")
    cells = errors.locator("tbody tr")
    expect(cells).to_have_count(4)
    expect(cells.nth(0)).to_contain_text("2PESEL")
    expect(cells.filter(has_text="Nazwisko")).to_contain_text("3")
    expect(cells.filter(has_text="Gmina")).to_contain_text("To pole jest wymagane")
    expect(cells.filter(has_text="Wykształcenie")).to_contain_text("doktorat")
    expect(page.get_by_role("button", name="Importuj")).to_have_count(0)
    assert int(_run(worker_env, "shell", "-c", COUNT).strip().splitlines()[-1]) == before

    # A good file: checked in the worker, confirmed, imported by a second job.
    upload(
        office,
        tmp_path,
        "dobre.csv",
        [
            f"Anna;Nowak;{pesel(3, 3)};;;2404052;ponadgimnazjalne;bierny zawodowo",
            f"Ewa;Kowalska;{pesel(4, 4)};;;2404052;wyższe;bezrobotny zarejestrowany",
        ],
    )
    work(office, worker_env, waiting="Plik jest sprawdzany w tle")
    expect(page.get_by_text("Gotowe do importu: 2")).to_be_visible()
    office.check("the check's outcome")
    page.get_by_label("Wszystkie osoby z pliku podpisały", exact=False).check()
    office.follow(page.get_by_role("button", name="Importuj 2 zgłoszenia"), what="confirmed")
    work(office, worker_env, waiting="czeka na proces zadań w tle")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Zaimportowano zgłoszenia: 2")
    expect(status).to_contain_text("Sprawdzone wiersze: 3; zapisane wiersze: 2.")
    office.check("the import's outcome")
    assert int(_run(worker_env, "shell", "-c", COUNT).strip().splitlines()[-1]) == before + 2
