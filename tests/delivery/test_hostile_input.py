"""No input to delivery's pages gives a 500: months out of range, NUL bytes, huge numbers.
Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime
import re

import pytest
from django.urls import reverse

from lider.core.permissions import Role
from lider.delivery import services
from lider.delivery.models import CalendarToken, Session
from lider.projects import services as project_services
from lider.projects.models import Membership
from tests.delivery.browser_form import form_data
from tests.delivery.conftest import url
from tests.delivery.factories import SessionFactory
from tests.factories import member

pytestmark = pytest.mark.django_db

MONTH_ERROR = "Podaj miesiąc jako rok-miesiąc, np. 2010-03."


@pytest.mark.parametrize(
    "month",
    ["1-1", "0000-01", "99999999999999999999-01", "2010-13", "2010-00", "x", "٢٠١٠-٠٣", "\x00"],
)
def test_a_month_out_of_range_or_malformed_is_a_clear_400(client, setup, month):
    client.force_login(setup["office"])

    response = client.get(url("delivery:calendar", setup), {"miesiac": month})

    assert response.status_code == 400
    assert MONTH_ERROR in response.content.decode()


@pytest.mark.parametrize(
    ("month", "links"),
    [("9999-12", ["9999-11"]), ("0001-01", ["0001-02"]), ("2010-03", ["2010-02", "2010-04"])],
)
def test_the_calendar_shows_the_first_and_last_months_there_are(client, setup, month, links):
    SessionFactory(task=setup["task"], date=datetime.date(9999, 12, 31), title="Koniec czasu")
    client.force_login(setup["office"])

    response = client.get(url("delivery:calendar", setup), {"miesiac": month})

    assert response.status_code == 200
    assert response.context["month"].isoformat()[:7] == month
    html = response.content.decode()
    assert re.findall(r'href="\?miesiac=([0-9-]+)"', html) == links
    assert ("Koniec czasu" in html) == (month == "9999-12")


def test_calendar_filters_with_nul_bytes_or_huge_numbers_are_ignored(client, setup):
    client.force_login(setup["office"])

    response = client.get(
        url("delivery:calendar", setup), {"powiat": "24\x0004", "zadanie": str(10**30)}
    )

    assert response.status_code == 200
    assert (response.context["county"], response.context["task"]) == (None, None)


@pytest.mark.parametrize("token", ["abc\x00def", "\x00", "a" * 500, "ąę", "..", "a%00b"])
def test_a_hostile_feed_token_is_not_found(client, setup, token):
    CalendarToken.objects.create(user=setup["trainer"])

    response = client.get(f"/kalendarz/trener/{token}.ics")

    assert response.status_code == 404


def test_the_feed_stops_when_the_trainer_role_is_revoked(client, setup):
    trainer, project = setup["trainer"], setup["project"]
    token = services.regenerate_calendar_token(trainer, actor=trainer).token
    feed = reverse("delivery_public:trainer_feed", args=[token])
    assert b"SUMMARY:Zaj" in client.get(feed).content

    membership = Membership.objects.get(user=trainer, project=project, role=Role.TRAINER)
    project_services.revoke_role(membership, actor=member(project, Role.ADMINISTRATOR))

    assert client.get(feed).status_code == 404


def test_the_feed_keeps_only_projects_where_the_trainer_still_holds_a_role(client, setup):
    from tests.delivery.factories import DeliveryTaskFactory, SessionFactory

    trainer = setup["trainer"]
    elsewhere = DeliveryTaskFactory()
    membership = Membership.objects.create(
        project=elsewhere.project, user=trainer, role=Role.TRAINER
    )
    SessionFactory(task=elsewhere, trainers=[trainer], title="Gdzie indziej")
    token = services.regenerate_calendar_token(trainer, actor=trainer).token
    feed = reverse("delivery_public:trainer_feed", args=[token])
    assert b"SUMMARY:Gdzie indziej" in client.get(feed).content

    project_services.revoke_role(membership, actor=member(elsewhere.project, Role.COORDINATOR))

    body = client.get(feed).content
    assert b"SUMMARY:Gdzie indziej" not in body
    assert b"SUMMARY:Zaj" in body


def test_a_huge_number_in_the_trainers_multi_select_is_a_form_error(client, setup):
    client.force_login(setup["office"])
    edit = url("delivery:edit", setup, pk=setup["session"].pk)
    data = form_data(client.get(edit).content.decode(), action="")

    for hostile in (str(10**30), "1\x00", "-99999999999999999999"):
        data["trainers"] = [str(setup["trainer"].pk), hostile]
        response = client.post(edit, data)
        assert response.status_code == 200
        assert "trainers" in response.context["form"].errors
    assert list(setup["session"].trainers.all()) == [setup["trainer"]]


@pytest.mark.parametrize("field", ["task", "group", "venue"])
def test_a_huge_number_in_a_session_choice_is_a_form_error(client, setup, field):
    client.force_login(setup["office"])
    create = url("delivery:create", setup)
    data = {
        "task": setup["task"].pk,
        "title": "Nowe",
        "date": "2010-03-06",
        "start_time": "09:00",
        "end_time": "10:00",
        "venue": setup["session"].venue_id,
        field: 10**30,
    }

    response = client.post(create, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Session.objects.filter(title="Nowe").exists()


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("delivery:book", {"pk": "session"}, {"participant": 10**30}),
        ("delivery:enrol", {"task": "task"}, {"participant": 10**30, "group": 10**30}),
        ("delivery:enrol", {"task": "task"}, {"participant": "1\x00"}),
        ("delivery:mark", {"pk": "session", "participant": "person"}, {"status": "pre\x00sent"}),
    ],
)
def test_hostile_values_in_delivery_forms_change_nothing(client, setup, name, kwargs, data):
    client.force_login(setup["office"])
    objects = {
        "session": setup["session"].pk,
        "task": setup["task"].pk,
        "person": setup["people"][0].pk,
    }

    response = client.post(url(name, setup, **{k: objects[v] for k, v in kwargs.items()}), data)

    assert response.status_code == 302
    assert not setup["session"].attendance.exists()
    assert not setup["session"].bookings.exists()


def test_a_series_running_past_the_last_date_there_is_a_form_error(client, setup):
    client.force_login(setup["office"])
    series = url("delivery:series", setup)
    data = form_data(client.get(series).content.decode(), action="")
    data.update(
        task=[str(setup["task"].pk)],
        title=["Na koniec czasu"],
        date=["9999-12-20"],
        start_time=["09:00"],
        end_time=["10:00"],
        venue=[str(setup["session"].venue_id)],
        count=["3"],
        every_days=["7"],
    )

    response = client.post(series, data)

    assert response.status_code == 200
    assert "count" in response.context["form"].errors
    assert not Session.objects.filter(title="Na koniec czasu").exists()


def test_a_series_in_the_first_years_leads_to_its_month(client, setup):
    client.force_login(setup["office"])
    series = url("delivery:series", setup)
    data = form_data(client.get(series).content.decode(), action="")
    data.update(
        task=[str(setup["task"].pk)],
        title=["Dawno temu"],
        date=["0002-03-06"],
        start_time=["09:00"],
        end_time=["10:00"],
        venue=[str(setup["session"].venue_id)],
        count=["1"],
        every_days=["7"],
    )

    response = client.post(series, data, follow=True)

    assert response.redirect_chain[0][0].endswith("?miesiac=0002-03")
    assert response.status_code == 200
    assert "Dawno temu" in response.content.decode()
