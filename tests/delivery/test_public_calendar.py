import pytest

from lider.delivery.models import Session
from tests.accessibility import accessibility_problems

pytestmark = pytest.mark.django_db


def test_public_calendar_lists_open_events_only(
    client, demo_project, django_assert_max_num_queries
):
    url = f"/kalendarz/{demo_project.slug}/"
    with django_assert_max_num_queries(4):
        response = client.get(url)
    body = response.content.decode()
    public = Session.objects.filter(task__project=demo_project, is_public=True)
    assert public.exists()
    for session in public:
        assert session.title in body
    private = Session.objects.filter(task__project=demo_project, is_public=False).first()
    assert private.title not in body
    assert f'href="/kalendarz/{demo_project.slug}.ics"' in body
    assert accessibility_problems(body) == []


def test_public_calendar_of_a_private_project_is_not_found(client, demo_project):
    demo_project.is_public = False
    demo_project.save(update_fields=["is_public"])
    assert client.get(f"/kalendarz/{demo_project.slug}/").status_code == 404
