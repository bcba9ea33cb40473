"""Scheduled anonymisation: `lider anonymise_due` (dry run, --apply, --enqueue) and its task."""

import datetime
import io

import pytest
from django.core.management import call_command

from lider.core.models import AuditEntry
from lider.people.models import Person
from lider.website import erasure
from lider.website.tasks import anonymise_due
from tests.factories import ApplicationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PAST = datetime.date(2020, 12, 31)


def _project(slug, archiving_date, applicants=2):
    project = ProjectFactory(slug=slug, archiving_date=archiving_date)
    people = [ApplicationFactory(project=project).person for _ in range(applicants)]
    return project, people


def _command(*args) -> str:
    out = io.StringIO()
    call_command("anonymise_due", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_what_is_due_and_changes_nothing():
    _project("po-terminie", PAST, applicants=3)
    _project("w-toku", datetime.date.today() + datetime.timedelta(days=1))
    _project("bez-daty", None)
    _project("dzis", datetime.date.today())  # the evidence is kept through its last day
    entries = AuditEntry.objects.count()
    out = _command()
    assert "po-terminie: archiving date 2020-12-31, 3 people would be anonymised." in out
    assert "w-toku" not in out and "bez-daty" not in out and "dzis" not in out
    assert "Dry run: nothing was changed" in out
    assert not Person.objects.filter(last_name=erasure.LAST_NAME).exists()
    assert AuditEntry.objects.count() == entries


def test_apply_anonymises_as_the_system_and_a_second_run_finds_nothing():
    due_project, due_people = _project("po-terminie", PAST)
    _, kept_people = _project("w-toku", datetime.date.today() + datetime.timedelta(days=30))
    out = _command("--apply")
    assert "po-terminie: archiving date 2020-12-31, 2 people anonymised." in out
    for person in due_people:
        person.refresh_from_db()
        assert person.last_name == erasure.LAST_NAME and person.pesel == ""
    for person in kept_people:
        person.refresh_from_db()
        assert person.last_name != erasure.LAST_NAME
    entry = AuditEntry.objects.filter(project_id=due_project.pk).latest("pk")
    assert entry.actor is None  # the system
    assert "zaplanowane zadanie" in entry.note_text and "2 osób" in entry.note_text
    assert "No project past its archiving date" in _command("--apply")


def test_a_person_still_in_a_project_keeping_evidence_is_left_alone():
    due_project, (shared, other) = _project("po-terminie", PAST)
    running = ProjectFactory(archiving_date=None)
    from lider.people.models import Participant

    Participant.objects.create(project=running, person=shared)
    assert "1 people would be anonymised" in _command()
    _command("--apply")
    shared.refresh_from_db()
    other.refresh_from_db()
    assert shared.last_name != erasure.LAST_NAME and other.last_name == erasure.LAST_NAME


def test_the_task_does_the_same_and_enqueue_hands_it_to_the_worker():
    _, people = _project("po-terminie", PAST)
    assert "Enqueued the anonymisation task" in _command("--enqueue")  # immediate in tests
    assert all(
        p.last_name == erasure.LAST_NAME
        for p in Person.objects.filter(pk__in=[x.pk for x in people])
    )
    _project("drugi", PAST, applicants=1)
    assert anonymise_due.call() == 1
