"""`lider worker` runs the tasks a service queued in the database, in another process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Its server runs on a SQLite database of its own whatever the suite's database is: run once, in
# the SQLite run (as test_wheel), not again beside PostgreSQL.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite run only")

LIDER = Path(sys.executable).with_name("lider")
ROOT = Path(__file__).resolve().parents[2]

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


def lider(*args, env, check=True):
    return subprocess.run(
        [LIDER, *args], env=env, cwd=ROOT, check=check, capture_output=True, text=True, timeout=300
    )


def environment(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(LIDER_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **extra)
    return env


def test_a_bulk_issue_queued_by_the_service_is_run_by_the_worker(tmp_path):
    env = environment(tmp_path, TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    lider("migrate", "--no-input", env=env)
    lider("shell", "--no-imports", "-c", ENQUEUE, env=env)
    # Queued, not run: the request that started it did no certificate work.
    assert lider("shell", "--no-imports", "-c", STATE, env=env).stdout.split() == [
        "pending",
        "0",
        "0",
        "READY",
    ]

    worker = lider("worker", "--batch", "--no-startup-delay", env=env)

    assert lider("shell", "--no-imports", "-c", STATE, env=env).stdout.split() == [
        "done",
        "3",
        "3",
        "SUCCESSFUL",
    ]
    assert "lider.certification.tasks.bulk_issue" in worker.stdout + worker.stderr


def test_the_worker_refuses_a_backend_that_needs_none(tmp_path):
    env = environment(tmp_path, TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    lider("migrate", "--no-input", env=env)

    result = lider("worker", "--batch", env=env, check=False)

    assert result.returncode != 0
    assert "not a database backend" in result.stderr or "TASKS_BACKEND" in result.stderr
