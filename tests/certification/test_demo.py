"""The seed's result: 99 Leaders certified, checked against the demo project."""

import datetime

import pypdfium2
import pytest
import zxingcpp
from django.core.cache import cache

from lider.certification import queries
from lider.certification.models import Certificate, CertificateSeries, CompletionRule, TestScore
from lider.projects.models import Task
from lider.website.demo.delivery import load_delivery
from lider.website.demo.people import load_people
from lider.website.demo.project import load_project
from lider.website.demo.users import load_users

pytestmark = pytest.mark.django_db


def test_demo_certifies_99_trainees_numbered_without_gaps(demo_project):
    task = demo_project.tasks.get(kind=Task.Kind.TRAINING_CYCLE)
    certificates = list(Certificate.objects.filter(task=task).order_by("sequence"))
    assert [c.number for c in certificates] == [f"LRES/2010/{n:03d}" for n in range(1, 100)]
    assert {c.issued_on for c in certificates} == {datetime.date(2010, 12, 20)}
    assert queries.valid_certificates(demo_project).count() == 99
    assert CompletionRule.objects.get(task=task).conditions == {"all": [{"attendance": 80}]}
    assert TestScore.objects.filter(task=task).count() == 100
    standings = queries.standings(task)
    [left_out] = [s for s in standings if not s.eligible]
    assert left_out.certificate is None
    assert left_out.evaluation.explanation.startswith("obecność 50 % < 80 % ✗")
    gain = queries.knowledge_gain(task)
    assert gain["people"] == 100 and gain["gain"] > 0


def test_coordinator_bulk_issues_the_demo_cycle_in_the_browser(
    client, db, django_capture_on_commit_callbacks
):
    """The demo without its certificates; the coordinator sets the rule and issues them."""
    cache.clear()
    project = load_project()
    load_users(project)
    load_delivery(project, load_people(project))
    task = project.tasks.get(kind=Task.Kind.TRAINING_CYCLE)
    client.login(username="koordynator", password="Demo-koordynator-2009")
    base = f"/biuro/projekty/{project.slug}/certyfikaty/"
    client.post(f"{base}numeracja/", {"pattern": "LRES/{year}/{seq:03d}"})
    assert CertificateSeries.objects.get(project=project).pattern == "LRES/{year}/{seq:03d}"
    client.post(f"{base}zadania/{task.pk}/regula/", {"combine": "all", "attendance": "80"})
    page = client.get(f"{base}zadania/{task.pk}/").content.decode()
    assert "99 z 100 uczestników spełnia warunek." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}zadania/{task.pk}/wydaj-wszystkim/")
    progress = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "zakończone: 99 z 99 zaświadczeń" in progress

    certificates = list(Certificate.objects.filter(task=task).order_by("sequence"))
    year = certificates[0].issued_on.year
    assert [c.number for c in certificates] == [f"LRES/{year}/{n:03d}" for n in range(1, 100)]
    page = client.get(f"{base}zadania/{task.pk}/").content.decode()
    assert "Uczestnicy, którzy nie spełniają warunku" in page
    assert "obecność 50 % &lt; 80 % ✗" in page

    pdf = client.get(f"{base}{certificates[41].pk}/pdf/").content
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    [url] = [code.text for code in zxingcpp.read_barcodes(image)]
    client.logout()
    page = client.get(url.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "To zaświadczenie jest ważne." in page
    assert certificates[41].full_name in page and certificates[41].number in page
    assert "Lider na Rynku Ekonomii Społecznej" in page
