"""One hours unit per project: the same sessions give different figures in a project counting
teaching hours (45 minutes) and in one counting clock hours (60 minutes), and every output
says which unit it uses."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lider.certification import issuing, printing, queries, services
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.queries import attendance_shares
from lider.projects import hours
from lider.projects.models import Project
from lider.reporting import measures
from lider.reporting.exports import progress
from tests.certification.conftest import make_training
from tests.factories import ProjectFactory, member
from tests.projects.test_create import CREATE, administrator, card_data

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2010, 12, 20, 10, 0, tzinfo=datetime.UTC)


def test_hours_convert_minutes_in_each_unit():
    assert hours.hours(90, "teaching") == Decimal("2.00")
    assert hours.hours(90, "clock") == Decimal("1.50")
    assert hours.hours(None, "clock") == Decimal("0.00")
    assert hours.minutes_per_hour("") == 45  # the default: teaching hours
    assert hours.label("clock") == "godziny zegarowe (60 min)"
    assert hours.count_label("teaching") == "Liczba godzin dydaktycznych (45 min)"


def _trainings():
    """The same five sessions of 6 clock hours, with three people present at all of them,
    in a project counting teaching hours and in one counting clock hours."""
    teaching = make_training(project=ProjectFactory(hours_unit="teaching"))
    clock = make_training(project=ProjectFactory(hours_unit="clock"))
    return teaching, clock


def _certificate(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    return issuing.issue_certificate(
        training.task, training.participants[0], actor=None, issued_at=AT, notify=False
    )


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_same_sessions_count_differently_in_teaching_and_clock_hours():
    teaching, clock = _trainings()

    # attendance shares (delivery's screens, completion facts)
    shares = {t.project.hours_unit: attendance_shares(t.task).first() for t in (teaching, clock)}
    assert shares["teaching"].hours_total == Decimal("40.00")
    assert shares["clock"].hours_total == Decimal("30.00")
    assert shares["teaching"].share == shares["clock"].share == 1.0

    # the certificate: hours, the programme's hours, the unit stored and printed
    one, other = _certificate(teaching), _certificate(clock)
    assert (one.hours, one.hours_unit) == (Decimal("40.00"), "teaching")
    assert (other.hours, other.hours_unit) == (Decimal("30.00"), "clock")
    assert other.programme[0] == ["Ekonomia społeczna", "18.00"]
    assert "Liczba godzin dydaktycznych (45 min): 40" in _pdf_text(printing.render([one]))
    text = _pdf_text(printing.render([other]))
    assert "Liczba godzin zegarowych (60 min): 30" in text
    assert "Godziny zegarowe (60 min)" in text  # over the programme's hours
    assert other.sha256 == printing.checksum(printing.render([other]))

    # the indicator of hours of attendance
    measure = measures.get("attendance_hours")
    figures = {
        t.project.hours_unit: measures.compute(measure, t.project, {"task": t.task.pk})
        for t in (teaching, clock)
    }
    assert figures["teaching"].total == Decimal("120.00")  # 3 people × 40
    assert figures["clock"].total == Decimal("90.00")

    # the progress report: tasks' hours under a header naming the unit
    start, end = datetime.date(2010, 3, 1), datetime.date(2010, 3, 31)
    for training, expected, header in (
        (teaching, 40.0, "Liczba godzin dydaktycznych (45 min)"),
        (clock, 30.0, "Liczba godzin zegarowych (60 min)"),
    ):
        data = progress.progress_data(training.project, start, end)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(progress.render_xlsx(data)))
        rows = sheet.get_sheet_by_index(0).to_python()
        assert rows[3][2] == header
        assert rows[4][2] == expected


def test_a_certificate_issued_before_the_unit_was_recorded_prints_as_issued():
    teaching, _clock = _trainings()
    certificate = _certificate(teaching)
    certificate.hours_unit = ""
    text = _pdf_text(printing.render([certificate]))
    assert "Liczba godzin: 40" in text
    assert "dydaktycznych" not in text
    assert certificate.hours_label == "Liczba godzin"


def test_public_verification_says_the_unit(client):
    _teaching, clock = _trainings()
    certificate = _certificate(clock)
    page = client.get(reverse("certification_public:verify", kwargs={"code": certificate.code}))
    html = page.content.decode()
    assert "Liczba godzin zegarowych (60 min)" in html
    assert queries.certificate_by_code(certificate.code).hours_label.startswith("Liczba godzin")


def test_a_project_created_in_clock_hours_keeps_and_changes_its_unit(client):
    administrator(client)
    response = client.post(CREATE, card_data(hours_unit="clock"))
    assert response.status_code == 302
    project = Project.objects.get(slug="es-w-powiecie")
    assert project.hours_unit == "clock"
    detail = client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    assert "godziny zegarowe (60 min)" in detail.content.decode()

    edit = reverse("projects:edit", kwargs={"slug": project.slug})
    form = client.get(edit).content.decode()
    assert 'name="hours_unit"' in form
    data = card_data(hours_unit="teaching")
    data.pop("slug")
    client.post(edit, {**data, "is_public": "on"})
    project.refresh_from_db()
    assert project.hours_unit == "teaching"
    entry = AuditEntry.objects.for_object(project).filter(action="update").get()
    assert "hours_unit" in str(entry.changes)


def test_a_card_sent_without_the_unit_keeps_it():
    project = ProjectFactory(hours_unit="clock")
    from lider.projects.forms import ProjectCardForm

    form = ProjectCardForm(
        instance=project,
        data={
            "number": project.number,
            "title": project.title,
            "cofinancing_statement": project.cofinancing_statement,
            "classification": project.classification_id,
            "institution": project.institution_id,
            "applicant": project.applicant_id,
            "counties": [c.pk for c in project.counties.all()],
            "start_date": project.start_date,
            "end_date": project.end_date,
            "main_goal": "Cel",
        },
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours_unit"] == "clock"


def test_the_office_sees_hours_in_the_projects_unit(client):
    _teaching, clock = _trainings()
    client.force_login(member(clock.project, Role.COORDINATOR))
    page = client.get(
        reverse("delivery:task", kwargs={"slug": clock.project.slug, "task": clock.task.pk})
    ).content.decode()
    assert "godziny zegarowe (60 min)" in page


def test_certificates_issued_before_the_unit_changes_keep_the_unit_of_their_issue(client):
    teaching, _ = _trainings()
    before = _certificate(teaching)
    project = teaching.project
    project.hours_unit = "clock"
    project.save(update_fields=["hours_unit"])

    before.refresh_from_db()
    assert (before.hours, before.hours_unit) == (Decimal("40.00"), "teaching")
    pdf = printing.render([before])
    assert printing.checksum(pdf) == before.sha256  # the same bytes as at issue
    assert "Liczba godzin dydaktycznych (45 min): 40" in _pdf_text(pdf)
    verify = reverse("certification_public:verify", kwargs={"code": before.code})
    assert "dydaktycznych (45 min)" in client.get(verify).content.decode()

    after = issuing.issue_certificate(
        teaching.task, teaching.participants[1], actor=None, issued_at=AT, notify=False
    )
    assert (after.hours, after.hours_unit) == (Decimal("30.00"), "clock")
