"""A double submit of the public form at the same moment (needs a real database server)."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from lider.recruitment import identity
from lider.recruitment.models import Application
from tests.recruitment.test_public import person_data, url

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="The in-memory SQLite test database is shared between threads through a "
        "shared cache, whose table locks fail at once instead of waiting; run with "
        "DATABASE_URL=postgres://… to test two requests inserting at once.",
    ),
]


def test_two_identical_submissions_at_once_get_the_same_answer(project, monkeypatch):
    cache.clear()
    data = person_data(project)
    checked = threading.Barrier(2, timeout=30)
    real = identity.must_check

    def both_checked(*args, **kwargs):  # both requests find the PESEL free before either saves
        answer = real(*args, **kwargs)
        checked.wait()
        return answer

    monkeypatch.setattr(identity, "must_check", both_checked)
    statuses, errors = [], []

    def submit():
        try:
            statuses.append(Client().post(url(project), data).status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and statuses == [302, 302]
    assert sorted(Application.objects.values_list("identity", flat=True)) == ["new", "to_check"]
