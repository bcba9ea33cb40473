"""Every spreadsheet Lider produces, with user texts that a spreadsheet program would run:
no cell of any of them may be a formula (issue 11, "Formula injection")."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lider.certification.models import Certificate
from lider.core.permissions import Role
from lider.people.models import Person
from lider.reporting.exports.profiles import PROFILES
from tests.factories import member
from tests.reporting import export_jobs
from tests.reporting.builders import build, indicator
from tests.reporting.test_exports import complete
from tests.spreadsheets import (
    HOSTILE_TEXTS,
    csv_cells_that_could_run,
    formula_cells,
    xlsx_texts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_world():
    """A project whose user-typed texts all look like formulas."""
    world = build(women=len(HOSTILE_TEXTS), men=1)
    complete(world)
    for text, participant in zip(HOSTILE_TEXTS, world.participants, strict=False):
        Person.objects.filter(pk=participant.person_id).update(
            first_name=text, last_name=text, street=text, city=text
        )
    # The last one lacks mandatory data, so the check report lists its (hostile) name.
    Person.objects.filter(pk=world.participants[-1].person_id).update(
        first_name=HOSTILE_TEXTS[0], last_name=HOSTILE_TEXTS[2], education=""
    )
    world.task.title = HOSTILE_TEXTS[0]
    world.task.save(update_fields=["title"])
    world.project.title = HOSTILE_TEXTS[1]
    world.project.save(update_fields=["title"])
    indicator(world, "participants_started", name=HOSTILE_TEXTS[3])
    Certificate.objects.filter(project=world.project).update(full_name=HOSTILE_TEXTS[0])
    Certificate.objects.filter(
        pk=Certificate.objects.filter(project=world.project).first().pk
    ).update(status="revoked", revoked_at=timezone.now(), revoke_reason=HOSTILE_TEXTS[3])
    return world


def downloads(client, world) -> dict[str, bytes]:
    """Every XLSX the back office offers for the project, as a coordinator gets them."""
    client.force_login(member(world.project, Role.COORDINATOR))
    slug = world.project.slug
    urls = {}
    start, end = datetime.date(2010, 1, 1), datetime.date(2010, 12, 31)
    urls["progress report"] = (
        reverse("reporting:progress", kwargs={"slug": slug})
        + f"?start={start}&end={end}&format=xlsx"
    )
    urls["certificate register"] = reverse("certification:register_xlsx", kwargs={"slug": slug})
    urls["import template"] = reverse("recruitment:import_template", kwargs={"slug": slug})
    files = {}
    for key in PROFILES:
        response = export_jobs.download(client, slug, key)
        assert response.status_code == 200, key
        files[f"monitoring {key}"] = b"".join(response.streaming_content)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        files[name] = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return files


def could_run(content: bytes) -> list[str]:
    """Formulas in an XLSX, or cells a spreadsheet program would run in a CSV."""
    if content.startswith(b"PK"):
        return formula_cells(content)
    return csv_cells_that_could_run(content.decode("utf-8-sig"))


def test_no_spreadsheet_holds_a_formula(client, hostile_world):
    files = downloads(client, hostile_world)

    assert {name: could_run(content) for name, content in files.items()} == {
        name: [] for name in files
    }


def test_hostile_texts_arrive_as_the_texts_typed(client, hostile_world):
    files = downloads(client, hostile_world)
    csv_files = {f"monitoring {key}" for key, p in PROFILES.items() if p.file_format == "csv"}
    texts = {name: xlsx_texts(content) for name, content in files.items() if name not in csv_files}
    for name in csv_files:
        # A CSV cell that could run is kept as text by a leading apostrophe (OWASP).
        cells = {
            cell
            for row in csv.reader(
                io.StringIO(files[name].decode("utf-8-sig"), newline=""), delimiter=";"
            )
            for cell in row
        }
        assert {"'" + text for text in HOSTILE_TEXTS} <= cells, name

    for key in (key for key, p in PROFILES.items() if p.file_format == "xlsx"):
        assert set(HOSTILE_TEXTS) <= texts[f"monitoring {key}"], key
        # The check report names the incomplete participant as typed.
        assert f"{HOSTILE_TEXTS[0]} {HOSTILE_TEXTS[2]}" in texts[f"monitoring {key}"]
    assert {HOSTILE_TEXTS[0], HOSTILE_TEXTS[3]} <= texts["progress report"]
    assert any(HOSTILE_TEXTS[1] in text for text in texts["progress report"])
    assert {HOSTILE_TEXTS[0], HOSTILE_TEXTS[3]} <= texts["certificate register"]


def test_every_spreadsheet_linked_in_the_back_office_holds_no_formula(client, hostile_world):
    """Not only the known exports: every XLSX/CSV a coordinator can reach by a link."""
    from tests.reporting.test_sensitive_walk import crawl, fetch

    project = hostile_world.project
    client.force_login(member(project, Role.COORDINATOR))
    home = f"/biuro/projekty/{project.slug}/"
    period = "?start=2010-01-01&end=2010-12-31"
    urls = crawl(client, [home, f"{home}sprawozdanie/{period}"])
    spreadsheets = {}
    for url in urls:
        response = fetch(client, url)  # a monitoring export through its background job
        kind = response.get("Content-Type", "")
        if "spreadsheetml" in kind or kind.startswith("text/csv"):
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            spreadsheets[url] = content

    assert len(spreadsheets) >= 5, sorted(spreadsheets)
    assert {url: could_run(content) for url, content in spreadsheets.items()} == {
        url: [] for url in spreadsheets
    }
