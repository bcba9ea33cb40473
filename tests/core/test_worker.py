"""`lider worker` runs the tasks a service queued in the database, in another process."""

from tests.served import SQLITE_RUN_ONLY, Lider

pytestmark = SQLITE_RUN_ONLY

ENQUEUE = """
import datetime
from django.db import transaction
from lider.certification import services, issuing
from tests.certification.conftest import make_training
with transaction.atomic():
    training = make_training(people=3, sessions=2)
    services.save_completion_rule(training.task, actor=None, conditions={"attendance": 80})
    day = datetime.date(2010, 12, 20)
    run = issuing.start_bulk_issue(training.task, actor=None, issued_on=day)
print(run.pk)
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from lider.certification.models import BulkIssueRun, Certificate
run = BulkIssueRun.objects.get()
results = DBTaskResult.objects.values_list("status", flat=True)
print(run.status, run.done, Certificate.objects.count(), *results)
"""


def test_a_bulk_issue_queued_by_the_service_is_run_by_the_worker(tmp_path):
    lider = Lider(tmp_path, TASKS_BACKEND="django_tasks_db.DatabaseBackend").migrated()
    lider.shell(ENQUEUE)
    # Queued, not run: the request that started it did no certificate work.
    assert lider.shell(STATE).split() == [
        "pending",
        "0",
        "0",
        "READY",
    ]

    worker = lider.run("worker", "--batch", "--no-startup-delay")

    assert lider.shell(STATE).split() == [
        "done",
        "3",
        "3",
        "SUCCESSFUL",
    ]
    assert "lider.certification.tasks.bulk_issue" in worker.stdout + worker.stderr


def test_the_worker_refuses_a_backend_that_needs_none(tmp_path):
    backend = "django_tasks.backends.immediate.ImmediateBackend"
    lider = Lider(tmp_path, TASKS_BACKEND=backend).migrated()

    result = lider.run("worker", "--batch", check=False)

    assert result.returncode != 0
    assert "not a database backend" in result.stderr or "TASKS_BACKEND" in result.stderr
