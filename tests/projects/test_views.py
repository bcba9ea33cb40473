import pytest
from django.urls import reverse

from lider.core.permissions import Role
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_login_page_is_polish(client):
    response = client.get(reverse("backoffice:login"))
    assert "Logowanie do biura projektu" in response.content.decode()


def test_anonymous_is_sent_to_login(client, demo_card):
    response = client.get(reverse("projects:detail", kwargs={"slug": demo_card.slug}))
    assert response.status_code == 302
    assert response.url.startswith("/biuro/logowanie/")


def test_staff_see_only_their_projects(client):
    mine, other = ProjectFactory(), ProjectFactory()
    client.force_login(member(mine, Role.TRAINER))
    body = client.get(reverse("projects:list")).content.decode()
    assert mine.title in body
    assert other.title not in body


@pytest.mark.parametrize("rows", [1, 3])
def test_project_list_queries_constant(client, django_assert_num_queries, rows):
    user = UserFactory()
    for _ in range(rows):
        member(ProjectFactory(), Role.COORDINATOR, user=user)
    client.force_login(user)
    # session, user (read with whether they have a device and are an administrator), projects
    with django_assert_num_queries(3):
        client.get(reverse("projects:list"))


def test_coordinator_edits_card(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:edit", kwargs={"slug": demo_card.slug})
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(title="Nowy tytuł", start_date="2009-12-01", end_date="2010-12-31")
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302
    demo_card.refresh_from_db()
    assert demo_card.title == "Nowy tytuł"
    assert demo_card.counties.count() == 4


def test_bad_input_on_card_gives_polish_message(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:edit", kwargs={"slug": demo_card.slug})
    response = client.post(url, {"title": "", "start_date": "2011-01-01", "end_date": "2010-13-45"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "To pole jest wymagane." in body
    assert "Wpisz poprawną datę." in body
    demo_card.refresh_from_db()
    assert demo_card.title == "Lider na Rynku Ekonomii Społecznej"


def test_end_before_start_is_refused_in_polish(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:edit", kwargs={"slug": demo_card.slug})
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(start_date="2011-01-01", end_date="2010-12-31")
    data = {k: v for k, v in data.items() if v is not None}
    body = client.post(url, data).content.decode()
    assert "Projekt nie może się zakończyć przed rozpoczęciem." in body


def test_trainer_cannot_edit_card(client, demo_card):
    trainer = demo_card.memberships.get(role=Role.TRAINER).user
    client.force_login(trainer)
    response = client.get(reverse("projects:edit", kwargs={"slug": demo_card.slug}))
    assert response.status_code == 403


def test_project_page_lists_only_sections_the_role_may_open(client):
    project = ProjectFactory()
    client.force_login(member(project, Role.TRAINER))
    body = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert f'href="/biuro/projekty/{project.slug}/zajecia/moje/"' in body
    assert "/rekrutacja/" not in body
    assert "/eksport/" not in body

    client.force_login(member(project, Role.COORDINATOR))
    body = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    for path in ("rekrutacja/", "osoby/", "zajecia/", "certyfikaty/", "podmioty/", "wskazniki/"):
        assert f'href="/biuro/projekty/{project.slug}/{path}"' in body
