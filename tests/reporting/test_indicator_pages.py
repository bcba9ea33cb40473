"""Coordinators define a project's indicators in the back office: every change is audited and
the parameters are checked against the project by the model's own validation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.reporting import services
from lider.reporting.models import Indicator
from tests.factories import member
from tests.reporting.builders import build, indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build(women=2, men=1)
    world.goal = world.project.specific_goals.create(order=1, text="Cel szczegółowy 1")
    return world


def url(name, world, **kwargs):
    return reverse(f"reporting:{name}", kwargs={"slug": world.project.slug, **kwargs})


def form_data(world, **overrides):
    data = {
        "goal": world.goal.pk,
        "name": "Liczba uczestników cyklu szkoleń",
        "kind": "product",
        "unit": "osoby",
        "target_total": "4",
        "target_women": "2",
        "target_men": "2",
        "measure": "participants_in_task",
        "task": str(world.task.pk),
        "task_kind": "forum",  # not a parameter of this measure: left out
        "county": "",
    }
    return data | overrides


def entries(indicator_pk):
    return list(
        AuditEntry.objects.filter(
            content_type__model="indicator", object_id=str(indicator_pk)
        ).order_by("pk")
    )


def test_coordinator_creates_an_indicator_and_the_dashboard_shows_it(client, world):
    coordinator = member(world.project, Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(url("indicator_create", world), form_data(world))

    assert response.status_code == 302
    assert response.url == url("dashboard", world)
    created = Indicator.objects.get()
    assert (created.goal, created.name, created.kind, created.unit, created.measure) == (
        world.goal,
        "Liczba uczestników cyklu szkoleń",
        "product",
        "osoby",
        "participants_in_task",
    )
    assert (created.target_total, created.target_women, created.target_men) == (4, 2, 2)
    assert created.params == {"task": world.task.pk}
    [entry] = entries(created.pk)
    assert (entry.action, entry.actor, entry.project_id) == (
        "create",
        coordinator,
        world.project.pk,
    )
    assert entry.changes["params"] == [None, {"task": world.task.pk}]

    page = client.get(url("dashboard", world)).content.decode()
    assert "Liczba uczestników cyklu szkoleń" in page
    assert url("indicator_edit", world, pk=created.pk) in page
    assert url("indicator_create", world) in page
    # Three participants of the task took part: the figure is computed from the records.
    assert f'href="{url("records", world, pk=created.pk)}" data-figure="total">3</a>' in page


def test_coordinator_edits_an_indicator_and_the_change_is_audited(client, world):
    coordinator = member(world.project, Role.COORDINATOR)
    edited = indicator(world, "participants_in_task", {"task": world.task.pk}, target_total=4)
    client.force_login(coordinator)

    form = client.get(url("indicator_edit", world, pk=edited.pk)).content.decode()
    assert f'<option value="{world.task.pk}" selected>' in form

    response = client.post(
        url("indicator_edit", world, pk=edited.pk),
        form_data(
            world,
            name="Uczestnicy forów",
            measure="sessions_of_kind",
            task_kind="forum",
            county="2409",
            target_total="6",
            target_women="",
            target_men="",
            unit="spotkania",
        ),
    )

    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.name, edited.measure, edited.params, edited.target_total) == (
        "Uczestnicy forów",
        "sessions_of_kind",
        {"task_kind": "forum", "county": "2409"},
        Decimal(6),
    )
    [entry] = entries(edited.pk)
    assert (entry.action, entry.actor) == ("update", coordinator)
    assert entry.changes["params"] == [
        {"task": world.task.pk},
        {"task_kind": "forum", "county": "2409"},
    ]
    assert entry.changes["name"][1] == "Uczestnicy forów"


def test_coordinator_deletes_an_indicator_after_confirming(client, world):
    coordinator = member(world.project, Role.COORDINATOR)
    doomed = indicator(world, "entities_founded", name="Podmioty")
    kept = indicator(world, "participants_started", name="Rozpoczęli")
    client.force_login(coordinator)

    confirm = client.get(url("indicator_delete", world, pk=doomed.pk))
    assert "Podmioty" in confirm.content.decode()
    assert Indicator.objects.filter(pk=doomed.pk).exists()
    response = client.post(url("indicator_delete", world, pk=doomed.pk))

    assert response.status_code == 302
    assert list(Indicator.objects.all()) == [kept]
    [entry] = entries(doomed.pk)
    assert (entry.action, entry.actor, entry.project_id) == (
        "delete",
        coordinator,
        world.project.pk,
    )
    assert entry.changes["name"] == ["Podmioty", None]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"task": "OTHER"}, "nie jest zadaniem tego projektu"),
        ({"task": "abc"}, "Zadanie abc nie jest zadaniem tego projektu."),
        ({"task": ""}, "Parametr „zadanie” jest wymagany."),
        (
            {"measure": "sessions_of_kind", "task_kind": "forum", "county": "1465"},
            "Powiat 1465 nie jest powiatem tego projektu.",
        ),
        (
            {"measure": "sessions_of_kind", "task_kind": "picnic"},
            "Nieznany rodzaj zadania: picnic.",
        ),
    ],
)
def test_invalid_parameters_are_refused_in_polish_and_nothing_is_saved(
    client, world, overrides, message
):
    other = build(women=1, men=0)
    if overrides.get("task") == "OTHER":
        overrides["task"] = str(other.task.pk)
    client.force_login(member(world.project, Role.COORDINATOR))

    response = client.post(url("indicator_create", world), form_data(world, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Indicator.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="indicator").exists()


def test_an_edit_with_invalid_parameters_changes_nothing(client, world):
    other = build(women=1, men=0)
    edited = indicator(world, "participants_in_task", {"task": world.task.pk}, target_total=4)
    client.force_login(member(world.project, Role.COORDINATOR))

    response = client.post(
        url("indicator_edit", world, pk=edited.pk),
        form_data(world, name="Nowa nazwa", task=str(other.task.pk)),
    )

    assert response.status_code == 200
    assert f"Zadanie {other.task.pk} nie jest zadaniem tego projektu." in response.content.decode()
    edited.refresh_from_db()
    assert (edited.name, edited.params) == ("participants_in_task", {"task": world.task.pk})
    assert entries(edited.pk) == []


def test_a_goal_of_another_project_is_refused(client, world):
    other = build(women=1, men=0)
    foreign_goal = other.project.specific_goals.create(order=1, text="Cudzy cel")
    client.force_login(member(world.project, Role.COORDINATOR))

    response = client.post(url("indicator_create", world), form_data(world, goal=foreign_goal.pk))

    assert response.status_code == 200
    assert "Wybierz poprawną wartość" in response.content.decode()
    assert not Indicator.objects.exists()
    with pytest.raises(services.ValidationError) as error:
        services.create_indicator(
            world.project,
            actor=None,
            goal=foreign_goal,
            name="x",
            kind="product",
            unit="osoby",
            target_total=1,
            measure="entities_founded",
            params={},
        )
    assert error.value.code == "goal_project"
    assert not Indicator.objects.exists()


def test_an_indicator_with_frozen_values_is_not_deleted(client, world):
    coordinator = member(world.project, Role.COORDINATOR)
    kept = indicator(world, "entities_founded")
    services.freeze_snapshot(
        world.project, actor=coordinator, reporting_date=world.project.end_date
    )
    client.force_login(coordinator)

    response = client.post(url("indicator_delete", world, pk=kept.pk), follow=True)

    assert "nie można go usunąć" in response.content.decode()
    assert list(Indicator.objects.all()) == [kept]
    assert entries(kept.pk) == []


@pytest.mark.parametrize("role", [Role.TRAINER, Role.OFFICE, Role.PARTNER, Role.AUDITOR])
def test_only_coordinators_and_administrators_define_indicators(client, world, role):
    existing = indicator(world, "entities_founded")
    client.force_login(member(world.project, role))

    assert client.get(url("indicator_create", world)).status_code == 403
    assert client.post(url("indicator_create", world), form_data(world)).status_code == 403
    assert (
        client.post(url("indicator_edit", world, pk=existing.pk), form_data(world)).status_code
        == 403
    )
    assert client.post(url("indicator_delete", world, pk=existing.pk)).status_code == 403
    assert list(Indicator.objects.all()) == [existing]
    if role != Role.TRAINER:
        assert (
            url("indicator_create", world)
            not in client.get(url("dashboard", world)).content.decode()
        )


def test_the_indicator_of_another_project_is_not_found(client, world):
    other = build(women=1, men=0)
    theirs = indicator(other, "entities_founded")
    client.force_login(member(world.project, Role.COORDINATOR))
    assert client.get(url("indicator_edit", world, pk=theirs.pk)).status_code == 404
    assert client.post(url("indicator_delete", world, pk=theirs.pk)).status_code == 404
    assert Indicator.objects.filter(pk=theirs.pk).exists()
