import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.reporting.models import Snapshot
from tests.factories import member
from tests.reporting import export_jobs
from tests.reporting.builders import build, certify, indicator

pytestmark = pytest.mark.django_db


def with_indicators(world):
    task = {"task": world.task.pk}
    return [
        indicator(
            world, "participants_in_task", task, target_total=4, target_women=2, target_men=2
        ),
        indicator(world, "participants_with_valid_certificate", task, kind="result"),
        indicator(world, "share_certified", task, unit="%", target_total=95),
        indicator(world, "sessions_of_kind", {"task_kind": "forum"}, unit="spotkania"),
        indicator(world, "entities_founded", unit="podmioty"),
        indicator(world, "attendance_hours", task, unit="godziny"),
    ]


def dashboard(client, world):
    return client.get(reverse("reporting:dashboard", kwargs={"slug": world.project.slug}))


@pytest.mark.parametrize("people", [1, 3])
def test_dashboard_constant_number_of_queries(client, people):
    world = build(women=people, men=0)
    with_indicators(world)
    client.force_login(member(world.project, Role.COORDINATOR))
    dashboard(client, world)
    with CaptureQueriesContext(connection) as queries:
        response = dashboard(client, world)
    assert response.status_code == 200
    assert len(queries) == 17


def certified_two(world):
    """Certify a woman in county 2409 and a man in 2404; a woman in 2404 stays without."""
    certify(world, world.participants[1])
    certify(world, world.participants[2])
    return [world.participants[1], world.participants[2]], world.participants[0]


def test_each_dashboard_figure_opens_into_its_records(client):
    world = build(women=2, men=1, certified=0)
    (woman, man), uncertified = certified_two(world)
    indicators = with_indicators(world)
    client.force_login(member(world.project, Role.AUDITOR))
    body = dashboard(client, world).content.decode()
    certified = indicators[1]
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": certified.pk})
    total = re.search(rf'href="{url}" data-figure="total">(\d+)<', body).group(1)
    women = re.search(rf'href="{url}\?sex=K" data-figure="women">(\d+)<', body).group(1)
    men = re.search(rf'href="{url}\?sex=M" data-figure="men">(\d+)<', body).group(1)
    assert (total, women, men) == ("2", "1", "1")
    assert int(women) + int(men) == int(total)

    listing = client.get(url).content.decode()
    assert woman.person.last_name in listing
    assert man.person.last_name in listing
    assert uncertified.person.last_name not in listing
    women_only = client.get(url + "?sex=K").content.decode()
    assert woman.person.last_name in women_only
    assert man.person.last_name not in women_only
    county = client.get(url + "?county=2409").content.decode()
    assert woman.person.last_name in county
    assert man.person.last_name not in county


def test_drilldown_lists_sessions_and_entities(client):
    world = build()
    forum, entities = with_indicators(world)[3:5]
    client.force_login(member(world.project, Role.OFFICE))
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": forum.pk})
    # two sessions, each with topic and task "Forum"
    assert client.get(url).content.decode().count("<td>Forum</td>") == 4
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": entities.pk})
    assert "Fundacja" in client.get(url).content.decode()


def test_drilldown_shows_a_dash_for_what_is_not_known_yet(client):
    from lider.outcomes.models import FoundedEntity

    world = build()
    entities = with_indicators(world)[4]
    FoundedEntity.objects.update(registration_date=None, seat=None)
    client.force_login(member(world.project, Role.OFFICE))
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": entities.pk})
    row = re.search(r"<tr><td>1</td>(.*?)</tr>", client.get(url).content.decode()).group(1)
    assert row == "<td>Fundacja</td><td>—</td><td>—</td><td>—</td>"


@pytest.mark.parametrize("rows", [1, 3])
def test_drilldown_constant_number_of_queries(client, rows):
    world = build(women=rows, men=0)
    certified = with_indicators(world)[1]
    client.force_login(member(world.project, Role.COORDINATOR))
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": certified.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == 8


def test_snapshot_freezes_values_and_record_ids(client):
    world = build(women=2, men=1, certified=0)
    (woman, man), _uncertified = certified_two(world)
    indicators = with_indicators(world)
    user = member(world.project, Role.COORDINATOR)
    client.force_login(user)
    response = client.post(
        reverse("reporting:snapshot_create", kwargs={"slug": world.project.slug}),
        {"reporting_date": "2010-06-30", "period_start": "2010-04-01"},
    )
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert snapshot.created_by == user
    value = snapshot.values.get(indicator=indicators[1])
    assert (value.total, value.women, value.men) == (2, 1, 1)
    assert value.record_ids == sorted([woman.pk, man.pk])
    assert value.period_total == 0  # certificates were issued on 1 March
    # the frozen value's records stay what they were when the data change
    woman.certificates.update(status="revoked", revoked_at=snapshot.created_at)
    url = reverse(
        "reporting:snapshot_records",
        kwargs={"slug": world.project.slug, "pk": snapshot.pk, "value_pk": value.pk},
    )
    listing = client.get(url).content.decode()
    assert woman.person.last_name in listing
    again = client.post(
        reverse("reporting:snapshot_create", kwargs={"slug": world.project.slug}),
        {"reporting_date": "2010-06-30"},
    )
    assert again.status_code == 302
    assert Snapshot.objects.count() == 1


def test_progress_report_pdf_and_xlsx(client):
    world = build(women=2, men=1)
    with_indicators(world)
    client.force_login(member(world.project, Role.COORDINATOR))
    url = reverse("reporting:progress", kwargs={"slug": world.project.slug})
    page = client.get(url, {"start": "2010-03-01", "end": "2010-03-31"})
    assert page.status_code == 200
    pdf = client.get(url, {"start": "2010-03-01", "end": "2010-03-31", "format": "pdf"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Sprawozdanie z postępu" in text
    assert "Cykl" in text
    xlsx = client.get(url, {"start": "2010-03-01", "end": "2010-03-31", "format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    tasks = book.get_sheet_by_index(0).to_python()
    assert tasks[3][2] == "Liczba godzin dydaktycznych (45 min)"
    assert tasks[4][:4] == ["Cykl", 2.0, 9.33, 3.0]  # 2 × 210 minutes in 45-minute hours
    indicators = book.get_sheet_by_index(1).to_python()
    first = indicators[4]
    assert first[0] == "participants_in_task"
    assert first[2:5] == [3.0, 2.0, 1.0]  # started on 1 March: in the period
    people = book.get_sheet_by_index(2).to_python()
    assert people[4][1:4] == [3.0, 2.0, 1.0]


def test_export_view_masks_pesel_for_partner_and_not_for_coordinator(client):
    world = build(women=1, men=0)
    world.participants[0].person.__class__.objects.filter(
        pk=world.participants[0].person_id
    ).update(
        education="isced3",
        labour_status="inactive",
        house_number="1",
        city="X",
        postal_code="42-200",
        cares_for_dependants=True,
        disability="no",
        minority_or_migrant="no",
        homeless="no",
        other_disadvantage="no",
    )
    # SL2014 needs the contract number (UDA-…).
    world.project.contract_number = "UDA-POKL.07.02.02-24-001/09-00"
    world.project.save(update_fields=["contract_number"])
    pesel = world.participants[0].person.pesel
    for role, expected in ((Role.PARTNER, pesel[:6] + "*****"), (Role.COORDINATOR, pesel)):
        client.force_login(member(world.project, role))
        response = export_jobs.download(client, world.project.slug, "sl2014")
        content = b"".join(response.streaming_content)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        rows = sheet.to_python()
        assert rows[1][rows[0].index("PESEL")] == expected
    # Each file's making and each download are recorded.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 4
    today = datetime.date.today()
    assert response["Content-Disposition"].endswith(
        f'sl2014_{world.project.slug}_{today:%Y-%m-%d}.xlsx"'
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_snapshot_list_constant_number_of_queries(client, rows):
    world = build(women=1, men=0)
    with_indicators(world)
    user = member(world.project, Role.COORDINATOR)
    for n in range(rows):
        Snapshot.objects.create(
            project=world.project, reporting_date=datetime.date(2010, 3, 1 + n), created_by=user
        )
    client.force_login(user)
    url = reverse("reporting:snapshots", kwargs={"slug": world.project.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.content.decode().count("2010</a>") == rows
    assert len(queries) == 5


def test_export_pages_list_profiles_and_incomplete_people(client):
    world = build(women=1, men=1)
    client.force_login(member(world.project, Role.OFFICE))
    page = client.get(reverse("reporting:exports", kwargs={"slug": world.project.slug}))
    body = page.content.decode()
    assert "PEFS 2007" in body
    assert "SL2014" in body
    # The count is shown before download: the builder's two people lack mandatory data.
    assert body.count("2 uczestników z niepełnymi danymi") == 3
    check = client.get(
        reverse(
            "reporting:export_check", kwargs={"slug": world.project.slug, "profile": "pefs2007"}
        )
    ).content.decode()
    # the builder's people have no education, labour status or address yet
    assert "2 uczestników z niepełnymi danymi" in check
    assert "Wykształcenie" in check
    assert world.participants[0].person.last_name in check
    missing = export_jobs.start(client, world.project.slug, "cst2030")
    assert missing.status_code == 404


def test_dashboard_period_figures_open_into_the_period_records(client):
    world = build(women=1, men=1, certified=0)
    certify(world, world.participants[0], on=datetime.date(2010, 5, 1))
    certify(world, world.participants[1], on=datetime.date(2010, 8, 1))
    certified = with_indicators(world)[1]
    client.force_login(member(world.project, Role.COORDINATOR))
    body = client.get(
        reverse("reporting:dashboard", kwargs={"slug": world.project.slug}),
        {"start": "2010-04-01", "end": "2010-06-30"},
    ).content.decode()
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": certified.pk})
    link = f"{url}?start=2010-04-01&amp;end=2010-06-30"
    assert re.search(rf'href="{re.escape(link)}" data-figure="period">1<', body)
    listing = client.get(url, {"start": "2010-04-01", "end": "2010-06-30"}).content.decode()
    assert world.participants[0].person.last_name in listing
    assert world.participants[1].person.last_name not in listing


@pytest.mark.parametrize("county", ["24\x0009", "\x00", "2409' OR 1=1", "٢٤٠٩", "9" * 500])
def test_a_hostile_county_filter_is_a_bad_request(client, county):
    world = build(women=1, men=0)
    certified = with_indicators(world)[1]
    client.force_login(member(world.project, Role.AUDITOR))
    url = reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": certified.pk})

    response = client.get(url, {"county": county})

    assert response.status_code == 400
    assert client.get(url, {"county": ""}).status_code == 200  # an empty filter is no filter
