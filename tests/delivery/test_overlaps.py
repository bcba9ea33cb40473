"""Sessions at the same time of the same group, at the same venue or with the same trainer are
refused with a message naming the clash, unless the coordinator confirms."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery import services
from lider.delivery.models import Session
from tests.delivery.browser_form import form_data
from tests.delivery.conftest import url
from tests.delivery.factories import DeliveryTaskFactory, SessionFactory, VenueFactory
from tests.factories import member

pytestmark = pytest.mark.django_db

DAY = datetime.date(2010, 3, 6)


@pytest.fixture
def booked(setup):
    """Saturday 9:00–15:00: the group's training day in the conference room, with the trainer."""
    return SessionFactory(
        task=setup["task"],
        group=setup["group"],
        trainers=[setup["trainer"]],
        title="Dzień szkoleniowy",
        date=DAY,
        start_time=datetime.time(9),
        end_time=datetime.time(15),
    )


def _fields(setup, **changes):
    fields = {
        "title": "Nowe zajęcia",
        "date": DAY,
        "start_time": datetime.time(14),
        "end_time": datetime.time(16),
        "venue": VenueFactory(project=setup["project"], name="Świetlica"),
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    ("clash", "reason"),
    [
        ("group", "ta sama grupa ({group})"),
        ("venue", "to samo miejsce (Sala konferencyjna)"),
        ("trainer", "ten sam trener (Tomasz Wójcik)"),
    ],
)
def test_an_overlap_is_refused_naming_the_clash(setup, booked, clash, reason):
    changes = {
        "group": {"group": setup["group"]},
        "venue": {"venue": booked.venue},
        "trainer": {},
    }[clash]
    trainers = [setup["trainer"]] if clash == "trainer" else []

    with pytest.raises(ValidationError) as error:
        services.create_session(
            setup["task"], actor=setup["office"], trainers=trainers, **_fields(setup, **changes)
        )

    assert services.is_overlap(error.value)
    assert error.value.messages == [
        "Nakłada się na „Dzień szkoleniowy” (6.03.2010, 09:00–15:00): "
        + reason.format(group=setup["group"].name)
        + "."
    ]
    assert Session.objects.count() == 2


def test_sessions_back_to_back_or_elsewhere_do_not_clash(setup, booked):
    after = services.create_session(
        setup["task"],
        actor=setup["office"],
        trainers=[setup["trainer"]],
        **_fields(setup, group=setup["group"], venue=booked.venue, start_time=datetime.time(15)),
    )
    other_day = services.create_session(
        setup["task"],
        actor=setup["office"],
        trainers=[setup["trainer"]],
        **_fields(setup, date=DAY + datetime.timedelta(days=1)),
    )

    assert after.pk and other_day.pk


def test_a_confirmed_overlap_is_saved_and_the_audit_says_so(setup, booked):
    session = services.create_session(
        setup["task"],
        actor=setup["office"],
        trainers=[setup["trainer"]],
        allow_overlap=True,
        **_fields(setup),
    )

    entry = AuditEntry.objects.get(
        action="create", content_type__model="session", object_id=str(session.pk)
    )
    assert entry.note.startswith("Zapisano mimo nakładania się: Nakłada się na „Dzień szkol")


def test_another_projects_session_is_not_named(setup, booked):
    elsewhere = DeliveryTaskFactory()
    member(elsewhere.project, Role.TRAINER, user=setup["trainer"])
    coordinator = member(elsewhere.project, Role.COORDINATOR)

    with pytest.raises(ValidationError) as error:
        services.create_session(
            elsewhere,
            actor=coordinator,
            trainers=[setup["trainer"]],
            **_fields(setup, venue=VenueFactory(project=elsewhere.project)),
        )

    assert error.value.messages == [
        "Tomasz Wójcik prowadzi w tym czasie zajęcia innego projektu (6.03.2010, 09:00–15:00)."
    ]


def test_editing_a_session_checks_overlaps_but_not_with_itself(setup, booked):
    services.update_session(booked, actor=setup["office"], capacity=10)
    evening = SessionFactory(
        task=setup["task"],
        date=DAY,
        start_time=datetime.time(17),
        end_time=datetime.time(19),
        trainers=[setup["trainer"]],
    )

    with pytest.raises(ValidationError) as error:
        services.update_session(evening, actor=setup["office"], start_time=datetime.time(14))

    assert services.is_overlap(error.value)
    evening.refresh_from_db()
    assert evening.start_time == datetime.time(17)


def test_the_form_asks_to_confirm_an_overlap_then_saves(client, setup, booked):
    client.force_login(setup["office"])
    create = url("delivery:create", setup)
    first = client.get(create).content.decode()
    assert 'type="hidden" name="confirm_overlap"' in first
    data = form_data(first, action="")
    data.update(
        task=[str(setup["task"].pk)],
        title=["Konsultacje"],
        date=["2010-03-06"],
        start_time=["10:00"],
        end_time=["11:00"],
        venue=[str(booked.venue_id)],
        trainers=[],
    )

    refused = client.post(create, data)

    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Nakłada się na „Dzień szkoleniowy” (6.03.2010, 09:00–15:00)" in html
    assert 'type="checkbox" name="confirm_overlap"' in html
    assert not Session.objects.filter(title="Konsultacje").exists()

    again = form_data(html, action="")
    assert "confirm_overlap" not in again  # the box is not ticked for the coordinator
    again["confirm_overlap"] = ["on"]
    assert client.post(create, again).status_code == 302
    assert Session.objects.filter(title="Konsultacje").count() == 1


def test_the_series_form_names_every_clash_and_saves_none(client, setup, booked):
    client.force_login(setup["office"])
    series = url("delivery:series", setup)
    data = form_data(client.get(series).content.decode(), action="")
    data.update(
        task=[str(setup["task"].pk)],
        group=[str(setup["group"].pk)],
        title=["Cykl"],
        date=["2010-02-27"],
        start_time=["09:00"],
        end_time=["10:00"],
        venue=[str(VenueFactory(project=setup["project"]).pk)],
        count=["3"],
        every_days=["7"],
    )

    refused = client.post(series, data)

    assert refused.status_code == 200
    assert "Nakłada się na „Dzień szkoleniowy”" in refused.content.decode()
    assert not Session.objects.filter(title="Cykl").exists()
    again = form_data(refused.content.decode(), action="")
    again["confirm_overlap"] = ["on"]
    assert client.post(series, again).status_code == 302
    assert Session.objects.filter(title="Cykl").count() == 3
