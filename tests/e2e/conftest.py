"""A live demo server, Debian's Chromium and axe-core for the real-browser suite (marker ``e2e``).

The demo is loaded ONCE per test session into a database of its own (a SQLite file, or a
PostgreSQL database named after ``DATABASE_URL``'s with ``_e2e`` appended) and served by
``lider serve`` in a subprocess, exactly as ``make demo`` serves it. Tests talk to it only
through the browser, so they change the demo as a user would; each test picks objects that the
others do not touch.

Every page a test visits is checked by axe-core with the WCAG 2.1 A and AA rules:
``goto``/``follow`` check each new page, a test calls ``check()`` after an in-place (htmx)
change, and a test fails on any violation, on any error the browser logged (a Content Security
Policy violation, a failed script or resource), and on any page it left unchecked.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SLUG = "lider-na-rynku-ekonomii-spolecznej"
PASSWORDS = {
    "koordynator": "Demo-koordynator-2009",
    "trener": "Demo-trener-2009",
    "instytucja": "Demo-instytucja-2009",
}
LIDER = Path(sys.executable).with_name("lider")


def _is_e2e(item) -> bool:
    return "tests/e2e/" in item.nodeid.replace("\\", "/")


def pytest_collection_modifyitems(items):
    """Mark the browser tests ``e2e`` and run them last.

    Playwright's sync API keeps an event loop running in the main thread while the browser is
    open (a session fixture); Django refuses database access from a thread with a running
    loop, so no database test may run after the first browser test.
    """
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_is_e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _free_port() -> int:
    wanted = os.environ.get("LIDER_E2E_PORT")
    if wanted:
        return int(wanted)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(url: str) -> tuple[str, str]:
    """The e2e database's URL and name: the test run's database name with ``_e2e``."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_e2e"
    return urlunsplit(parts._replace(path="/" + name)), name


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ) as connection:
        connection.execute(statement)


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(LIDER), *args], env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        raise RuntimeError(f"lider {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"lider serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"lider serve did not answer at {url}:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_base() -> str:
    """The address the demo will be served at (chosen before the demo is loaded)."""
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory, live_base):
    """The environment of a demo database of its own, migrated and loaded once per session.

    The demo's certificates are issued with QR codes for the address it will be served at,
    as ``make demo PORT=…`` does; the server itself is started without SITE_URL.
    """
    data = tmp_path_factory.mktemp("e2e-data")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env["LIDER_DATA_DIR"] = str(data)
    database = os.environ.get("DATABASE_URL")
    name = None
    if database:
        env["DATABASE_URL"], name = _postgres_database(database)
        _postgres_admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres_admin(database, f'CREATE DATABASE "{name}"')
    else:
        env.pop("DATABASE_URL", None)
    try:
        _run(env, "migrate", "--no-input")
        _run({**env, "SITE_URL": live_base}, "demo")
        yield env
    finally:
        if name:
            _postgres_admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


FACTS = """
import json
from lider.certification.models import Certificate
from lider.delivery.models import Attendance, Session
c = Certificate.objects.select_related("participant__person").get(number="LRES/2010/001")
missed = (
    Attendance.objects.filter(
        session__task__kind="group_advisory",
        session__trainers__username="trener",
        status__in=["excused", "absent"],
    )
    .select_related("session__task", "participant__person")
    .order_by("session__date", "session__pk", "participant__person__last_name")
    .first()
)
session = missed.session
print(json.dumps({
    "certificate": {
        "number": c.number, "code": c.code, "grouped_code": c.grouped_code,
        "full_name": c.full_name, "surname": c.participant.person.last_name,
    },
    "session": {
        "pk": session.pk, "title": session.title, "date": session.date.strftime("%d.%m.%Y"),
        "capacity": session.capacity, "task": session.task_id,
        "missed_by": missed.participant.person.full_name, "missed_as": missed.status,
    },
}))
"""


@pytest.fixture(scope="session")
def demo_facts(demo_env):
    """What the tests need to know of the demo's data (read once, from its database)."""
    output = _run(demo_env, "shell", "-c", FACTS)
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def live_demo(demo_env, live_base):
    """The base URL of the demo served by ``lider serve`` (no SITE_URL set: serve sets it)."""
    with served(demo_env, urlsplit(live_base).port, "serve.log") as base:
        yield base


@contextlib.contextmanager
def served(env: dict, port: int, log_name: str):
    """``lider serve`` on the port with the environment, its output in the data directory;
    yields its base URL once it answers, and stops it afterwards."""
    base = f"http://127.0.0.1:{port}"
    log = Path(env["LIDER_DATA_DIR"]) / log_name
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(LIDER), "serve", f"127.0.0.1:{port}"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(base + "/", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def chromium_path() -> str:
    path = os.environ.get("LIDER_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Chromium is not installed: `make test` installs Debian's chromium "
            "(or run `apt-get install chromium`)."
        )
    return path


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect, sync_playwright

    # A loaded two-core CI machine renders a certificate PDF in more than the default 5 s.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        yield browser
        browser.close()


@dataclass
class CheckedPage:
    """A Playwright page whose every visited page is checked by axe-core."""

    page: object
    base: str
    navigations: list[str] = field(default_factory=list)
    checked: int = 0
    errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """An absolute URL for a path on the live demo (an absolute URL is kept)."""
        return path if "://" in path else self.base + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def follow(self, locator, *, what: str = "", tap: bool = False):
        """Click (or tap) a link or a submit button, wait for the new page, and check it."""
        with self.page.expect_navigation() as navigation:
            if tap:
                locator.tap()
            else:
                locator.click()
        self.check(what)
        return navigation.value

    def check(self, what: str = "") -> None:
        """Run axe on the page as it is now (after a navigation or an htmx swap)."""
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        results = Axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        found = []
        for violation in results.response["violations"]:
            targets = "; ".join(
                " ".join(node["target"]) if isinstance(node["target"], list) else node["target"]
                for node in violation["nodes"][:5]
            )
            found.append(
                f"{self.page.url}{' (' + what + ')' if what else ''}: {violation['id']} "
                f"({violation['impact']}): {violation['help']} — {targets}"
            )
        self.checked = len(self.navigations)
        if found:
            raise AssertionError("axe (WCAG 2.1 A/AA) violations:\n  " + "\n  ".join(found))
        if self.errors:
            raise AssertionError("browser errors:\n  " + "\n  ".join(self.errors))

    def login(self, username: str) -> None:
        self.goto("/biuro/logowanie/")
        self.page.get_by_label("Nazwa użytkownika").fill(username)
        self.page.get_by_label("Hasło").fill(PASSWORDS[username])
        self.follow(self.page.get_by_role("button", name="Zaloguj"))


def _open(chromium, live_demo, **context_options):
    # No transitions (Pico honours reduced motion): axe never measures a colour mid-change.
    context = chromium.new_context(reduced_motion="reduce", **context_options)
    page = context.new_page()
    checked = CheckedPage(page=page, base=live_demo)

    def navigated(frame):
        if frame == page.main_frame:
            checked.navigations.append(frame.url)

    def console(message):
        # Chromium asks for /favicon.ico by itself; every other failed load is a defect.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            checked.errors.append(f"{page.url}: {message.text}")

    page.on("framenavigated", navigated)
    page.on("console", console)
    page.on("pageerror", lambda error: checked.errors.append(f"{page.url}: {error}"))
    return context, checked


def _finish(request, context, checked: CheckedPage) -> None:
    context.close()
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        return  # the test's own failure says what went wrong; pages after it were never seen
    unchecked = checked.navigations[checked.checked :]
    problems = []
    if unchecked:
        problems.append(f"pages not checked by axe: {unchecked}")
    if checked.errors:
        problems.append("browser errors:\n  " + "\n  ".join(checked.errors))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def browser_page(request, chromium, live_demo):
    """A desktop browser tab (1280 × 800) on the live demo, in Polish."""
    context, checked = _open(
        chromium, live_demo, viewport={"width": 1280, "height": 800}, locale="pl-PL"
    )
    yield checked
    _finish(request, context, checked)


@pytest.fixture
def phone_page(request, chromium, live_demo):
    """A phone-sized tab (390 × 844, touch) on the live demo, in Polish."""
    context, checked = _open(
        chromium,
        live_demo,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="pl-PL",
    )
    yield checked
    _finish(request, context, checked)
