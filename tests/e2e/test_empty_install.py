"""A new organisation on an EMPTY install, in a real browser, from `lider createadmin` to a
verified certificate — no demo data anywhere.

Served by `lider serve` from a database of its own, only migrated (a SQLite file, or the
PostgreSQL database named after DATABASE_URL's with ``_e2e_empty``, created and dropped), with
e-mail written to files (Django's file backend) so the test follows the links it was sent:
first administrator and TOTP → organisations and a project through the step-by-step forms →
recruiting → a coordinator and a trainer invited by e-mail → a public application → accepted →
the participant's invitation and /konto/ → a session with the trainer, the participant enrolled
and booked → attendance on a phone → completion rule and certificate → public verification by
its code → password reset → closed and archived: the back office read-only. Every page is
checked by axe-core (tests/e2e/conftest.py).
"""

import base64
import datetime
import email
import email.header
import io
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import (
    LIDER,
    _finish,
    _open,
    _postgres_admin,
    _run,
    _wait_until_up,
)

pytestmark = pytest.mark.e2e

SLUG = "razem-w-es"
TITLE = "Razem w ekonomii społecznej"
ADMIN_PASSWORD = "Pierwszy-administrator-2026"
PASSWORD = "Zielona-brzoza-nad-rzeka-7"
NEW_PASSWORD = "Czerwona-jarzebina-w-sadzie-8"
MEASURE = (
    "PO WER › II. Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji "
    "› 2.9 Rozwój ekonomii społecznej"
)
LINK = re.compile(r"https?://\S+")
# PO WER 2014–2020 marks as captions (a test's data, not the programme's official files).
STRIP = [
    "Fundusze Europejskie – Wiedza Edukacja Rozwój",
    "Rzeczpospolita Polska",
    "Unia Europejska – Europejski Fundusz Społeczny",
]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def empty_install(tmp_path_factory):
    """An install migrated and nothing else, served by `lider serve`; e-mail to files."""
    data = tmp_path_factory.mktemp("e2e-empty")
    mail = data / "mail"
    mail.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "LIDER_E2E_PORT"}
    }
    env.update(
        LIDER_DATA_DIR=str(data),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    database, name = os.environ.get("DATABASE_URL"), None
    if database:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(database)
        name = parts.path.lstrip("/") + "_e2e_empty"
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        _postgres_admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres_admin(database, f'CREATE DATABASE "{name}"')
    else:
        env.pop("DATABASE_URL", None)
    base = f"http://127.0.0.1:{_port()}"
    log = data / "serve.log"
    process = None
    try:
        _run(env, "migrate", "--no-input")
        with open(log, "w") as output:
            process = subprocess.Popen(
                [str(LIDER), "serve", base.removeprefix("http://")],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        _wait_until_up(base + "/", process, log)
        yield {"base": base, "env": env, "mail": mail}
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if name:
            _postgres_admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Inbox:
    """The messages the file backend wrote, read in the order they were sent."""

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[tuple[str, str, str]]:
        found = []
        for path in sorted(self.folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk)
                subject = str(
                    email.header.make_header(email.header.decode_header(message["Subject"]))
                )
                text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                found.append((message["To"], subject, text.get_payload(decode=True).decode()))
        return found

    def link_to(self, address: str, subject: str) -> str:
        """The link in the latest message to `address` whose subject has `subject`."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            sent = [m for m in self.messages() if m[0] == address and subject in m[1]]
            if sent:
                return LINK.search(sent[-1][2]).group(0)
            time.sleep(0.2)
        raise AssertionError(f"no e-mail to {address} about {subject!r}: {self.messages()}")


@pytest.fixture
def tabs(request, chromium, empty_install):
    """Browser tabs on the empty install, each checked by axe and closed at the end."""
    opened = []

    def open_tab(*, phone: bool = False):
        options = (
            {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            }
            if phone
            else {"viewport": {"width": 1280, "height": 800}}
        )
        context, checked = _open(chromium, empty_install["base"], locale="pl-PL", **options)
        opened.append((context, checked))
        return checked

    yield open_tab
    for context, checked in opened:
        _finish(request, context, checked)


def totp_code(secret: str) -> str:
    from django_otp.oath import totp

    key = secret.replace(" ", "").upper()
    return f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"


def log_in(tab, username: str, password: str) -> None:
    tab.goto("/biuro/logowanie/")
    tab.page.get_by_label("Nazwa użytkownika").fill(username)
    tab.page.get_by_label("Hasło").fill(password)
    tab.follow(tab.page.get_by_role("button", name="Zaloguj"), what=f"{username} logged in")


def set_password(tab, link: str, username: str, password: str = PASSWORD) -> None:
    """Open an invitation link and choose a login and a password."""
    page = tab.page
    tab.goto(link)
    page.get_by_label("Login").fill(username)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    tab.follow(page.get_by_role("button", name="Załóż konto"), what=f"{username}'s account")


def qr_url(pdf: bytes) -> str:
    import io

    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].render(scale=3).to_pil()
    [url] = [code.text for code in zxingcpp.read_barcodes(image)]
    return url


def valid_pesel(stem: str) -> str:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(int(digit) * weight for digit, weight in zip(stem, weights, strict=True))
    return stem + str((10 - total % 10) % 10)


def messages(page):
    return page.locator(".messages")


def test_a_new_organisation_runs_its_first_project_from_an_empty_install(empty_install, tabs):
    started = time.monotonic()
    inbox = Inbox(empty_install["mail"])
    project = f"/biuro/projekty/{SLUG}/"

    # --- The first administrator: `lider createadmin`, first login, forced TOTP set-up.
    output = _run(
        {**empty_install["env"], "LIDER_ADMIN_PASSWORD": ADMIN_PASSWORD},
        "createadmin",
        "--username",
        "admin",
        "--email",
        "admin@example.org",
    )
    assert "Created administrator admin" in output
    admin = tabs()
    page = admin.page
    log_in(admin, "admin", ADMIN_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Skonfiguruj logowanie dwuskładnikowe"
    )
    page.get_by_label(re.compile("^Kod")).fill(totp_code(page.locator("main code").inner_text()))
    admin.follow(page.get_by_role("button", name="Włącz"), what="second factor on")
    assert "/konfiguracja" not in page.url

    # --- Organisations, then the project card (programme tree, counties picker, applicant).
    admin.goto("/biuro/projekty/nowy/")
    for name in ("Urząd Marszałkowski Województwa Śląskiego", "Fundacja Nowy Start"):
        admin.follow(page.get_by_role("link", name=re.compile("dodaj organizację")))
        page.get_by_label("Nazwa").fill(name)
        page.get_by_label("Miejscowość").fill("Katowice")
        admin.follow(page.get_by_role("button", name="Zapisz"), what=f"organisation {name}")
        expect(messages(page)).to_contain_text(f"Dodano organizację {name}")
    page.get_by_label("Tytuł").fill(TITLE)
    page.get_by_label("Nazwa w adresie").fill(SLUG)
    page.get_by_label("Klasyfikacja").select_option(label=MEASURE)
    page.get_by_label(re.compile("^Instytucja")).select_option(
        label="Urząd Marszałkowski Województwa Śląskiego"
    )
    page.get_by_label(re.compile("^Wnioskodawca")).select_option(label="Fundacja Nowy Start")
    page.get_by_label(re.compile("^Numer projektu")).fill("POWR.02.09.00-00-0001/19")
    today = datetime.date.today()
    page.get_by_label(re.compile("^Data rozpoczęcia")).fill(f"{today.year}-01-01")
    page.get_by_label(re.compile("^Data zakończenia")).fill(f"{today.year + 1}-12-31")
    page.get_by_label("Szukaj po nazwie").fill("katow")
    page.get_by_role("checkbox", name=re.compile("Katowice")).check()
    admin.check("the counties picker filtered")
    page.get_by_label(re.compile("^Cel główny")).fill("Wzmocnienie ekonomii społecznej w regionie.")
    # Its trainings count clock hours (teaching hours are the default): the certificate says so.
    expect(page.get_by_label("Jednostka godzin")).to_have_value("teaching")
    page.get_by_label("Jednostka godzin").select_option(label="godziny zegarowe (60 min)")
    admin.follow(page.get_by_role("button", name="Utwórz projekt"), what="the new draft")
    expect(page).to_have_url(re.compile(rf"{project}struktura/$"))

    # Step 2: a target group, a specific goal and a task with its county.
    page.locator("#id_groups-0-order").fill("1")
    page.locator("#id_groups-0-description").fill("Osoby bezrobotne z Katowic")
    page.locator("#id_goals-0-order").fill("1")
    page.locator("#id_goals-0-text").fill("Podniesienie kompetencji w ekonomii społecznej.")
    page.locator("#id_tasks-0-order").fill("1")
    page.locator("#id_tasks-0-kind").select_option(label="cykl szkoleń")
    page.locator("#id_tasks-0-title").fill("Szkolenie z ekonomii społecznej")
    page.locator("#id_tasks-0-task_counties_0").check()
    admin.follow(page.get_by_role("button", name="Zapisz"), what="the structure saved")
    admin.goto(project)
    main = page.locator("main")
    for shown in ("2.9 Rozwój ekonomii społecznej", "Katowice", "Osoby bezrobotne z Katowic"):
        expect(main).to_contain_text(shown)

    # --- The draft is not public; recruiting opens it.
    response = admin.page.request.get(admin.url(f"/projekty/{SLUG}/"))
    assert response.status == 404
    admin.goto(f"{project}stan/")
    page.get_by_label("nabór").check()
    admin.follow(page.get_by_role("button", name="Zmień stan"), what="recruiting")
    expect(messages(page)).to_contain_text("Stan projektu: nabór")

    # --- A coordinator and a trainer invited by e-mail; they set their passwords.
    for first, last, address, role in (
        ("Katarzyna", "Nowak", "koordynatorka@example.org", "koordynator"),
        ("Tomasz", "Wójcik", "trener@example.org", "trener lub doradca"),
    ):
        admin.goto(f"{project}zaproszenia/")
        page.get_by_label("Imię").fill(first)
        page.get_by_label("Nazwisko").fill(last)
        page.get_by_label("Adres e-mail").fill(address)
        page.get_by_label("Rola").select_option(label=role)
        admin.follow(page.get_by_role("button", name="Wyślij zaproszenie"), what=f"{role} invited")
        expect(messages(page)).to_contain_text(address)
    coordinator = tabs()
    set_password(coordinator, inbox.link_to("koordynatorka@example.org", TITLE), "knowak")
    trainer = tabs(phone=True)
    set_password(trainer, inbox.link_to("trener@example.org", TITLE), "twojcik")

    # --- The coordinator gives the project its logo strip (its programme has none here):
    # captions only, in the programme's order; no official image is made up.
    office = coordinator.page
    coordinator.goto(project)
    coordinator.follow(office.locator("a.edit-action", has_text="Pasek logotypów"))
    for caption in STRIP:
        office.locator("#id_new-caption").fill(caption)
        coordinator.follow(office.get_by_role("button", name="Dodaj znak"), what="mark added")

    # --- A public application on the project's form.
    visitor = tabs()
    public = visitor.page
    visitor.goto(f"/projekty/{SLUG}/")
    expect(public.locator("ul.logo-strip li")).to_have_text(STRIP)
    visitor.follow(public.get_by_role("link", name="Zgłoś się do projektu"))
    public.get_by_label("Imię", exact=False).first.fill("Weronika")
    public.get_by_label("Nazwisko", exact=False).first.fill("Nowicka")
    public.get_by_label("PESEL").fill(valid_pesel("8507141234"))
    public.get_by_label("Kod pocztowy").fill("40-001")
    public.get_by_label("Miejscowość").fill("Katowice")
    public.locator("#id_s-gmina").select_option(label="Katowice (gmina miejska)")
    public.get_by_label("E-mail").fill("weronika@example.org")
    public.get_by_label("Wykształcenie").select_option("isced3")
    public.get_by_label("Status na rynku pracy").select_option("unemployed_registered")
    public.locator("#id_a-target_group_0").check()
    visitor.follow(public.get_by_role("button", name="Wyślij zgłoszenie"), what="application sent")
    expect(public).to_have_url(re.compile(rf"/projekty/{SLUG}/zgloszenie/wyslane/$"))

    # --- The coordinator accepts it; the participant is invited to their account.
    office = coordinator.page
    coordinator.goto(f"{project}rekrutacja/")
    coordinator.follow(office.locator("main table a", has_text="Weronika Nowicka"))
    office.get_by_label("przyjmij").check()
    coordinator.follow(office.get_by_role("button", name="Zapisz decyzję"), what="accepted")
    expect(messages(office)).to_contain_text("Decyzja została zapisana")
    participant = tabs()
    set_password(participant, inbox.link_to("weronika@example.org", "Zaproszenie"), "wnowicka")
    participant.goto("/konto/")
    expect(participant.page.locator("main")).to_contain_text(TITLE)

    # --- A session with the trainer; the participant enrolled in the task and booked.
    # The session form of a project without venues points to the venue form, which returns.
    coordinator.goto(f"{project}zajecia/")
    coordinator.follow(office.get_by_role("link", name="Nowe zajęcia", exact=True))
    coordinator.follow(office.get_by_role("link", name="dodaj miejsce"))
    office.get_by_label("Nazwa").fill("Centrum Organizacji Pozarządowych")
    office.get_by_label("Miejscowość").fill("Katowice")
    office.get_by_label("Gmina").select_option(label="Katowice (gmina miejska)")
    coordinator.follow(office.get_by_role("button", name="Zapisz"), what="venue saved")
    expect(office).to_have_url(re.compile(rf"{project}zajecia/nowe/$"))
    expect(office.locator("main")).not_to_contain_text("nie ma jeszcze żadnego miejsca")
    office.get_by_label("Data").fill(today.isoformat())
    office.get_by_label("Zadanie").select_option(label="Szkolenie z ekonomii społecznej")
    office.get_by_label("Temat").fill("Podstawy ekonomii społecznej")
    office.get_by_label("Początek").fill("09:00")
    office.get_by_label("Koniec").fill("13:00")
    venue = office.locator("#id_venue option", has_text="Centrum Organizacji Pozarządowych")
    office.get_by_label("Miejsce").select_option(venue.get_attribute("value"))
    office.get_by_label("Tomasz Wójcik").check()
    office.get_by_label("Liczba miejsc").fill("12")
    coordinator.follow(office.get_by_role("button", name="Zapisz"), what="session saved")
    expect(messages(office)).to_contain_text("Zajęcia zostały zapisane")
    session = office.url
    coordinator.goto(f"{project}zajecia/")
    coordinator.follow(office.get_by_role("link", name="1. Szkolenie z ekonomii społecznej"))
    pick(coordinator, "Weronika Nowicka")
    coordinator.follow(office.get_by_role("button", name="Zapisz"), what="enrolled")
    coordinator.goto(session)
    pick(coordinator, "Weronika Nowicka")
    coordinator.follow(office.get_by_role("button", name="Zapisz na zajęcia"), what="booked")
    expect(messages(office)).to_contain_text("Weronika Nowicka")

    # --- The trainer marks attendance on a phone.
    phone = trainer.page
    # (Logged in since the account was made from the invitation.)
    trainer.goto(f"{project}zajecia/moje/")
    trainer.follow(phone.locator("main a", has_text="Podstawy ekonomii społecznej").first, tap=True)
    row = phone.locator("li.attendee", has_text="Weronika Nowicka")
    row.get_by_role("button", name="obecny", exact=True).tap()
    expect(row.get_by_role("button", name="obecny", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    trainer.check("after marking on the phone")

    # --- The completion rule for the new task, and the certificate.
    coordinator.goto(f"{project}certyfikaty/")
    coordinator.follow(office.get_by_role("link", name="Szkolenie z ekonomii społecznej"))
    coordinator.follow(office.get_by_role("link", name="Zmień warunek ukończenia"))
    office.get_by_label(re.compile("Minimalny udział godzin")).fill("80")
    coordinator.follow(office.get_by_role("button", name="Zapisz"), what="rule saved")
    holder = office.locator("tr", has_text="Weronika Nowicka")
    coordinator.follow(holder.get_by_role("button", name="wydaj"), what="certificate issued")
    issued = messages(office)
    expect(issued).to_contain_text(re.compile("wydan", re.IGNORECASE))
    number = re.search(r"\d{4}/\d{3}", issued.inner_text()).group(0)
    coordinator.goto(f"{project}certyfikaty/")
    certificate = office.locator("main a", has_text=number).first
    coordinator.follow(certificate)
    code = office.locator("dt", has_text="Kod weryfikacyjny").locator(
        "xpath=following-sibling::dd[1]"
    )
    code = code.inner_text().strip()
    expect(office.locator("dt", has_text="Liczba godzin zegarowych (60 min)")).to_be_visible()

    # The PDF renders for a project set up in the forms, its QR opens the verification page.
    pdf = office.get_by_role("link", name="PDF", exact=True).first.get_attribute("href")
    response = office.request.get(coordinator.url(pdf))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert qr_url(response.body()).startswith(empty_install["base"] + "/weryfikacja/")
    header = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "Liczba godzin zegarowych (60 min)" in header, header
    assert "dydaktycznych" not in header, header
    assert [header.find(caption) for caption in STRIP] == sorted(
        header.find(caption) for caption in STRIP
    ) and all(caption in header for caption in STRIP), header

    # Every page of the new project two links deep from its card opens for its administrator
    # (axe-clean), and every download answers (no 500 for a project set up in the forms).
    seen, kinds = set(), set()
    queue = [project]
    for _depth in range(2):
        found = []
        for path in queue:
            assert admin.goto(path).ok, path
            links = page.locator(f"main a[href^='{project}']")
            found += [links.nth(i).get_attribute("href") for i in range(links.count())]
        queue = []
        for href in dict.fromkeys(href.split("#")[0] for href in found):
            kind = re.sub(r"\d+", "N", href.split("?")[0])
            if href in seen or kind in kinds:
                continue
            seen.add(href)
            kinds.add(kind)
            answer = page.request.get(admin.url(href))
            assert answer.ok, (href, answer.status)
            if answer.headers["content-type"].startswith("text/html"):
                queue.append(href)  # a page: opened in the tab and checked by axe
    for path in queue:
        assert admin.goto(path).ok, path
    assert len(kinds) > 30, kinds
    for public_page in (f"/projekty/{SLUG}/", f"/projekty/{SLUG}/rezultaty/"):
        assert visitor.goto(public_page).ok, public_page

    # --- Anyone verifies it by its code; the participant sees it on /konto/.
    visitor.goto("/weryfikacja/")
    public.locator("#id_code").fill(code)
    visitor.follow(public.get_by_role("button", name="Sprawdź", exact=True), what="verified")
    expect(public.locator("main")).to_contain_text(
        re.compile("(certyfikat|zaświadczenie) jest ważn")
    )
    expect(public.locator("main")).to_contain_text("Weronika Nowicka")
    participant.goto("/konto/")
    expect(participant.page.locator("main")).to_contain_text(number)

    # --- Password reset: request, e-mail link, new password, login.
    forgetful = tabs()
    reset = forgetful.page
    forgetful.goto("/biuro/logowanie/")
    forgetful.follow(reset.get_by_role("link", name="Nie pamiętasz hasła?"))
    reset.get_by_label(re.compile("E-mail|Adres e-mail")).fill("trener@example.org")
    forgetful.follow(reset.get_by_role("button", name="Wyślij link"), what="reset asked")
    forgetful.goto(inbox.link_to("trener@example.org", "hasł"))
    reset.locator("input[type=password]").nth(0).fill(NEW_PASSWORD)
    reset.locator("input[type=password]").nth(1).fill(NEW_PASSWORD)
    forgetful.follow(reset.get_by_role("button", name="Zapisz nowe hasło"), what="new password")
    log_in(forgetful, "twojcik", NEW_PASSWORD)
    expect(reset).not_to_have_url(re.compile("/logowanie/"))

    # --- Closed, then archived: the back office turns read-only, with a banner.
    for state in ("zakończony", "zarchiwizowany"):
        admin.goto(f"{project}stan/")
        page.get_by_label(state, exact=True).check()
        admin.follow(page.get_by_role("button", name="Zmień stan"), what=state)
    expect(page.locator(".read-only-banner")).to_contain_text("tylko do odczytu")
    coordinator.goto(session)
    expect(office.locator(".read-only-banner")).to_be_visible()
    marked = office.locator("li.attendee", has_text="Weronika Nowicka")
    expect(marked.get_by_role("button", name="obecny", exact=True)).to_be_hidden()
    expect(office.get_by_role("button", name="Zapisz na zajęcia")).to_be_hidden()

    print(f"empty-install flow: {time.monotonic() - started:.0f} s in the browser")


def pick(tab, name: str) -> None:
    """Choose a participant in the searchable picker: type part of the surname, tick the name."""
    tab.page.get_by_label("Szukaj po nazwie").fill(name.split()[-1][:5].lower())
    tab.page.get_by_role("radio", name=name, exact=True).check()
    tab.check(f"{name} picked")
