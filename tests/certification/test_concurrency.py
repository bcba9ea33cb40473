"""Numbers stay unique and gap-free under concurrent issues (needs a real database server)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from lider.certification import issuing, services
from lider.certification.models import BulkIssueRun, Certificate, CertificateSeries
from tests.certification.conftest import make_training

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's shared-cache test database fails table locks at once instead of "
        "waiting; run with DATABASE_URL=postgres://… to test row locks.",
    ),
]


def run_at_once(function, items) -> list[Exception]:
    """Call ``function(item)`` in one thread per item, all released together."""
    barrier = threading.Barrier(len(items))
    errors = []

    def worker(item):
        try:
            barrier.wait()
            function(item)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _sequences(task) -> list[int]:
    return list(
        Certificate.objects.filter(task=task)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )


def test_two_staff_issuing_the_same_certificate_at_once_get_one():
    training = make_training(people=1, sessions=2)
    services.save_completion_rule(training.task, actor=None, conditions={"attendance": 80})
    participant = training.participants[0]
    errors = run_at_once(
        lambda _n: issuing.issue_certificate(training.task, participant, actor=None, notify=False),
        range(2),
    )
    assert errors == []
    assert _sequences(training.task) == [1]
    assert CertificateSeries.objects.get(project=training.project).last_sequence == 1


def test_concurrent_issues_of_many_people_leave_no_gap_or_duplicate():
    training = make_training(people=20, sessions=2)
    services.save_completion_rule(training.task, actor=None, conditions={"attendance": 80})
    # Every participant twice, all at once.
    errors = run_at_once(
        lambda participant: issuing.issue_certificate(
            training.task, participant, actor=None, notify=False
        ),
        training.participants * 2,
    )
    assert errors == []
    assert _sequences(training.task) == list(range(1, 21))
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 20


def test_bulk_runs_at_once_and_an_interrupted_one_resumed_leave_no_gap(monkeypatch):
    training = make_training(people=12, sessions=2)
    services.save_completion_rule(training.task, actor=None, conditions={"attendance": 80})
    real = issuing._issue_chunk
    monkeypatch.setattr(issuing, "CHUNK", 1)
    calls = {"n": 0}
    lock = threading.Lock()

    def interrupted(*args, **kwargs):
        with lock:
            calls["n"] += 1
            if calls["n"] == 5:
                raise ValidationError("przerwano", code="interrupted")
        return real(*args, **kwargs)

    monkeypatch.setattr(issuing, "_issue_chunk", interrupted)
    first = BulkIssueRun.objects.create(task=training.task, issued_on=datetime.date(2010, 12, 20))
    with pytest.raises(ValidationError):
        issuing.run_bulk_issue(first, notify=False)
    monkeypatch.setattr(issuing, "_issue_chunk", real)
    assert _sequences(training.task) == [1, 2, 3, 4]

    runs = [
        BulkIssueRun.objects.create(task=training.task, issued_on=datetime.date(2010, 12, 20))
        for _n in range(3)
    ]
    errors = run_at_once(lambda run: issuing.run_bulk_issue(run, notify=False), runs)
    assert errors == []
    assert _sequences(training.task) == list(range(1, 13))
