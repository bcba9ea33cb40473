"""The demo's participants get their paths from their attendance (issue 13)."""

import datetime

import pytest

from lider.people.models import Participant

pytestmark = pytest.mark.django_db


def test_demo_paths_from_attendance(demo_project):
    people = Participant.objects.filter(project=demo_project, person__isnull=False)
    trainees = people.filter(enrolments__task__kind="training_cycle").distinct()
    assert trainees.count() == 100
    # Every trainee started on their group's first attended training day and has ended.
    assert not trainees.filter(start_date__isnull=True).exists()
    assert not trainees.filter(end_date__isnull=True).exists()
    assert set(trainees.values_list("start_source", flat=True)) == {"attendance"}
    assert trainees.filter(completed_as_planned=True).count() == 99
    assert set(
        trainees.filter(completed_as_planned=True).values_list("exit_reason", flat=True)
    ) == {"completed"}
    dropout = trainees.get(completed_as_planned=False)
    assert dropout.exit_reason == Participant.ExitReason.EMPLOYMENT
    enrolment = dropout.enrolments.get(task__kind="training_cycle")
    assert dropout.end_date == enrolment.dropped_on
    first_day = (
        dropout.attendance.filter(status="present").order_by("session__date").first().session.date
    )
    assert dropout.start_date == first_day
    # Those who only came to meetings, forums and conferences are not participants.
    others = people.exclude(pk__in=trainees.values("pk"))
    assert others.count() == 200
    assert others.filter(attendance__status="present").exists()
    assert not others.filter(start_date__isnull=False).exists()
    assert not others.filter(completed_as_planned__isnull=False).exists()
    # Paths end within the project.
    assert not trainees.filter(end_date__gt=demo_project.end_date).exists()
    assert trainees.order_by("start_date").first().start_date >= datetime.date(2010, 1, 1)
