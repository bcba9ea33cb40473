"""Every long list is paginated with the same accessible controls (``{% pages page %}``), and a
page takes the same queries whether the list has one page or two."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lider.core import audit
from lider.core.permissions import Role
from lider.projects.models import Project
from tests.factories import ApplicationFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

PER_PAGE = 50


def _applications(project, n):
    for _ in range(n):
        ApplicationFactory(project=project)


def _audit(project, n):
    for _ in range(n):
        audit.record(None, audit.Action.UPDATE, project_id=project.pk, note="zmiana")


LISTS = {
    "people:list": (Role.OFFICE, _applications),
    "recruitment:list": (Role.OFFICE, _applications),
    "projects:audit": (Role.AUDITOR, _audit),
}


def _get(client, name, rows, django_assert_num_queries, expected=None):
    project = ProjectFactory()
    role, fill = LISTS[name]
    fill(project, rows)
    client.force_login(member(project, role))
    path = reverse(name, kwargs={"slug": project.slug})
    client.get(path)  # sessions and caches warm
    if expected is None:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        return response, len(queries), path
    with django_assert_num_queries(expected):
        response = client.get(path)
    return response, expected, path


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_takes_the_same_queries_on_one_page_and_on_two(
    client, name, django_assert_num_queries
):
    _, small, _ = _get(client, name, 3, django_assert_num_queries)

    response, _, path = _get(client, name, PER_PAGE + 3, django_assert_num_queries, small)

    html = response.content.decode()
    assert '<nav class="pages" aria-label="Strony listy">' in html
    assert 'aria-current="page"' in html and "page=2" in html
    second = client.get(path + "?page=2").content.decode()
    assert 'aria-current="page" aria-label="strona 2 z 2"' in second
    assert Project.objects.count() == 2


def test_the_controls_keep_the_filters_of_the_address(client):
    project = ProjectFactory()
    _audit(project, PER_PAGE + 1)
    client.force_login(member(project, Role.AUDITOR))
    path = reverse("projects:audit", kwargs={"slug": project.slug})

    html = client.get(path + "?action=update").content.decode()

    assert "?action=update&amp;page=2" in html
