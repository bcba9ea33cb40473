import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from lider.delivery.models import Attendance, Enrolment, Group, Session, SessionBooking
from lider.delivery.queries import attendance_shares, full_name, roster
from lider.projects.models import Task

pytestmark = pytest.mark.django_db


def test_demo_schedule_has_every_kind_of_session(demo_project):
    by_kind = {
        kind: Session.objects.filter(task__project=demo_project, task__kind=kind).count()
        for kind in Task.Kind.values
    }
    assert by_kind == {
        "information_meeting": 4,
        "conference": 2,
        "training_cycle": 40,
        "group_advisory": 16,
        "forum": 4,
        "other": 0,
    }
    dates = Session.objects.filter(task__project=demo_project).values_list("date", flat=True)
    assert {d.year for d in dates} == {2010}
    assert Group.objects.filter(task__project=demo_project).count() == 8
    training = demo_project.tasks.get(kind="training_cycle")
    assert set(
        Session.objects.filter(task=training).values_list("trainers__username", flat=True)
    ) == {"trener"}


def test_demo_trainees_attend_enough_but_one(demo_project):
    training = demo_project.tasks.get(kind="training_cycle")
    shares = attendance_shares(training)

    assert shares.count() == 100
    assert shares.filter(share__gte=0.8).count() == 99
    below = shares.get(share__lt=0.8)
    assert below.hours_total == 80 and below.hours_attended == 40
    enrolment = Enrolment.objects.get(task=training, participant=below)
    assert enrolment.status == "dropped" and enrolment.drop_reason
    assert enrolment.group.county.code == "2407"
    assert {row.hours_total for row in shares} == {80}


def test_demo_meetings_have_bookings_and_attendance(demo_project):
    public = Session.objects.filter(task__project=demo_project, is_public=True)
    assert public.count() == 10
    for session in public:
        booked = SessionBooking.objects.filter(session=session, status="booked").count()
        assert 0 < booked <= session.capacity
        assert Attendance.objects.filter(session=session).count() == booked


def test_demo_attendance_list_pdf_lists_everyone(demo_project, client):
    session = Session.objects.filter(
        task__project=demo_project, group__county__code="2407", task__kind="training_cycle"
    ).first()
    client.force_login(User.objects.get(username="trener"))
    response = client.get(
        reverse("delivery:list_pdf", kwargs={"slug": demo_project.slug, "pk": session.pk})
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    names = [full_name(p) for p in roster(session)]
    assert len(names) == 25
    assert [name for name in names if name not in text] == []
    assert any(set(name) & set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ") for name in names)
    assert "Lubliniecki Dom Kultury" in text
    assert "Tomasz Wójcik" in text
