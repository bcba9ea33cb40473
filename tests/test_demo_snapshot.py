"""The demo copied into a test (``tests.demo_snapshot``) is the loader's rows, exactly."""

import pytest

from tests import demo_snapshot as snapshots

pytestmark = pytest.mark.django_db


def test_the_copied_rows_read_back_as_the_loader_wrote_them(demo_snapshot):
    assert demo_snapshot.usable and "projects_project" in demo_snapshot.added

    assert snapshots.restore(demo_snapshot)

    for table, (_columns, rows) in demo_snapshot.added.items():
        assert set(rows) <= set(snapshots._rows(table)[1]), table


def test_a_test_with_rows_of_its_own_gets_the_loader_instead(demo_snapshot):
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    UserFactory()

    assert not snapshots.restore(demo_snapshot)
    assert get_user_model().objects.count() == 1  # nothing written


def test_the_demo_fixture_falls_back_to_the_loader(request):
    from lider.certification.models import Certificate
    from tests.factories import UserFactory

    UserFactory()

    project = request.getfixturevalue("demo_project")

    assert Certificate.objects.filter(task__project=project).count() == 99
