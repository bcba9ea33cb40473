"""The session form and the series form: trainers can be chosen and are kept, labels in Polish."""

import pytest

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.models import Session
from lider.projects.models import Membership
from tests.delivery.browser_form import form_data, labels
from tests.delivery.conftest import url
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def _trainer_boxes(html: str) -> str:
    return html.split('id="id_trainers"', 1)[1].split("</fieldset>", 1)[0]


@pytest.mark.parametrize("page", ["delivery:edit", "delivery:series", "delivery:create"])
def test_session_forms_offer_the_projects_trainers_with_polish_labels(client, setup, page):
    advisor = member(setup["project"], Role.TRAINER)
    advisor.first_name, advisor.last_name = "Ewa", "Doradczyni"
    advisor.save()
    other_project_trainer = member(ProjectFactory(), Role.TRAINER)
    client.force_login(setup["office"])
    kwargs = {"pk": setup["session"].pk} if page == "delivery:edit" else {}

    html = client.get(url(page, setup, **kwargs)).content.decode()

    boxes = _trainer_boxes(html)
    assert f'value="{setup["trainer"].pk}"' in boxes
    assert "Tomasz Wójcik" in boxes and "Ewa Doradczyni" in boxes
    assert f'value="{other_project_trainer.pk}"' not in boxes
    assert f'value="{setup["office"].pk}"' not in boxes  # office staff do not lead sessions
    assert '<label for="">' not in html
    shown = labels(html)
    assert "Zadanie *" in shown and "Grupa" in shown
    assert "Trenerzy lub doradcy" in html.split("<legend>")[1].split("</legend>")[0]
    assert not {"Task", "Group", "Task *", "Trainers"} & set(shown)


def test_saving_a_session_changing_only_its_capacity_keeps_its_trainers(client, setup):
    session, trainer = setup["session"], setup["trainer"]
    client.force_login(setup["office"])
    edit = url("delivery:edit", setup, pk=session.pk)
    data = form_data(client.get(edit).content.decode(), action="")
    assert data["trainers"] == [str(trainer.pk)]

    data["capacity"] = ["30"]
    response = client.post(edit, data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 30
    assert list(session.trainers.all()) == [trainer]
    entry = AuditEntry.objects.get(content_type__model="session", action="update")
    assert entry.changes == {"capacity": [None, 30]}


def test_changing_the_trainers_is_audited_old_to_new(client, setup):
    session, trainer = setup["session"], setup["trainer"]
    advisor = member(setup["project"], Role.TRAINER)
    client.force_login(setup["office"])
    edit = url("delivery:edit", setup, pk=session.pk)
    data = form_data(client.get(edit).content.decode(), action="")

    data["trainers"] = [str(advisor.pk)]
    client.post(edit, data)

    assert list(session.trainers.all()) == [advisor]
    entry = AuditEntry.objects.get(content_type__model="session", action="update")
    assert entry.actor == setup["office"]
    assert entry.changes == {"trainers": [[str(trainer)], [str(advisor)]]}


def test_a_former_trainer_stays_on_a_session_unless_removed_but_cannot_be_added(client, setup):
    session, trainer = setup["session"], setup["trainer"]
    Membership.objects.filter(user=trainer, role=Role.TRAINER).delete()
    client.force_login(setup["office"])
    edit = url("delivery:edit", setup, pk=session.pk)
    data = form_data(client.get(edit).content.decode(), action="")
    assert data["trainers"] == [str(trainer.pk)]

    data["title"] = ["Zajęcia po zmianie"]
    assert client.post(edit, data).status_code == 302
    assert list(session.trainers.all()) == [trainer]

    create = url("delivery:create", setup)
    new = form_data(client.get(create).content.decode(), action="")
    assert "trainers" not in new
    new.update(
        task=[str(setup["task"].pk)],
        title=["Nowe zajęcia"],
        date=["2010-03-06"],
        start_time=["09:00"],
        end_time=["10:00"],
        venue=[str(session.venue_id)],
        trainers=[str(trainer.pk)],
    )
    response = client.post(create, new)
    assert response.status_code == 200
    assert "trainers" in response.context["form"].errors
    assert not Session.objects.filter(title="Nowe zajęcia").exists()


def test_series_form_keeps_the_chosen_trainer_on_every_session(client, setup):
    client.force_login(setup["office"])
    series = url("delivery:series", setup)
    data = form_data(client.get(series).content.decode(), action="")
    data.update(
        task=[str(setup["task"].pk)],
        group=[str(setup["group"].pk)],
        title=["Dzień szkoleniowy"],
        date=["2010-03-06"],
        start_time=["09:00"],
        end_time=["15:00"],
        venue=[str(setup["session"].venue_id)],
        trainers=[str(setup["trainer"].pk)],
        count=["3"],
    )

    assert client.post(series, data).status_code == 302

    created = Session.objects.filter(title="Dzień szkoleniowy")
    assert created.count() == 3
    assert {tuple(s.trainers.all()) for s in created} == {(setup["trainer"],)}


def test_a_new_project_is_pointed_to_its_missing_venue_and_trainer(client):
    """A project set up in the forms has no venue nor trainer yet: the session form says where
    to add them instead of offering two empty required choices."""
    from django.urls import reverse

    from tests.delivery.factories import DeliveryTaskFactory

    project = DeliveryTaskFactory().project
    client.force_login(member(project, Role.COORDINATOR))
    slug = {"slug": project.slug}
    html = client.get(reverse("delivery:create", kwargs=slug)).content.decode()
    assert reverse("delivery:venue_create", kwargs=slug) in html
    assert reverse("projects:invitations", kwargs=slug) in html
    assert "nie ma jeszcze żadnego miejsca zajęć" in html
    # The venue form itself (same template) says nothing of it.
    venue_form = client.get(reverse("delivery:venue_create", kwargs=slug)).content.decode()
    assert "nie ma jeszcze żadnego miejsca zajęć" not in venue_form


def test_the_pointers_go_once_venue_and_trainer_exist(client, setup):
    from django.urls import reverse

    client.force_login(setup["office"])
    slug = {"slug": setup["project"].slug}
    html = client.get(reverse("delivery:create", kwargs=slug)).content.decode()
    assert reverse("delivery:venue_create", kwargs=slug) not in html.split("<form")[0]
    assert reverse("projects:invitations", kwargs=slug) not in html
