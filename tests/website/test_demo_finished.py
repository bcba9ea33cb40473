"""The demo's second project: finished, past its archiving date, anonymised by the loader
through the real service; its results page keeps its figures and its certificates verify."""

import pytest
from django.urls import reverse

from lider.certification.models import Certificate
from lider.core.models import AuditEntry
from lider.people.models import Person
from lider.projects.models import Project
from lider.reporting.queries import indicator_values
from lider.website import erasure
from lider.website.demo.finished import SLUG

pytestmark = pytest.mark.django_db


def test_the_finished_project_is_anonymised_and_keeps_its_figures(client, demo_project):
    finished = Project.objects.get(slug=SLUG)
    assert finished.archiving_date < finished.end_date.replace(year=2026)
    people = Person.objects.filter(participations__project=finished)
    assert people.count() == 16
    assert set(people.values_list("first_name", "last_name", "pesel", "email")) == {
        (erasure.FIRST_NAME, erasure.LAST_NAME, "", "")
    }
    # The seed project's people are untouched.
    assert not Person.objects.filter(
        participations__project=demo_project, last_name=erasure.LAST_NAME
    ).exists()
    entry = AuditEntry.objects.get(
        project_id=finished.pk, actor=None, action="update", content_type=None
    )
    assert "16" in entry.note_text and "RODO" in entry.note_text

    figures = [
        (v.cumulative.total, v.cumulative.women, v.cumulative.men)
        for v in indicator_values(finished)
    ]
    assert figures == [(16, 10, 6), (14, 10, 4)]
    results = client.get(f"/projekty/{SLUG}/rezultaty/").content.decode()
    assert "14" in results and "Aktywni w Ekonomii Społecznej" in results

    certificate = Certificate.objects.filter(project=finished).order_by("pk").first()
    assert certificate.full_name == "" and certificate.number == "AES/2011/001"
    page = client.get(
        reverse("certification_public:verify", kwargs={"code": certificate.code})
    ).content.decode()
    assert "To zaświadczenie jest ważne." in page
    assert "Dane posiadacza usunięto po okresie archiwizacji." in page

    # The retention report says so, and the scheduled run finds nothing left to do.
    assert erasure.retention(finished)["anonymised"] == 16
    from lider.website.anonymise_due import due

    assert SLUG not in [item.project.slug for item in due()]
