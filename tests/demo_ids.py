"""Real objects of the demo project, and the ids of its URLs, for the tests that walk every page
(the Polish-pages walk and the permission matrix)."""

from django.contrib.auth.models import User


def demo_objects(project) -> dict:
    """One real object of each kind the demo project's URLs take."""
    from lider.certification.issuing import start_bulk_issue
    from lider.certification.models import BulkIssueRun, Certificate
    from lider.delivery.models import Enrolment, Session, SessionBooking
    from lider.jobs.models import Job
    from lider.jobs.services import run_job, start_job
    from lider.outcomes.models import FoundedEntity
    from lider.people.models import Participant
    from lider.people.rectification_models import Correction
    from lider.projects.models import Membership
    from lider.recruitment.models import Application, Consent
    from lider.reporting.models import Indicator, SnapshotValue
    from lider.reporting.services import freeze_snapshot

    # The demo has no snapshot nor bulk-issue run of its own: make one each, as an office would.
    coordinator = User.objects.get(username="koordynator")
    freeze_snapshot(project, actor=coordinator, reporting_date=project.end_date)
    task = Certificate.objects.filter(project=project).order_by("pk").first().task
    start_bulk_issue(task, actor=coordinator)
    session = Session.objects.filter(task__project=project, attendance__isnull=False).first()
    job = start_job(
        project,
        kind="reporting.export",
        title="PEFS 2007",
        params={"profile": "pefs2007", "full_sensitive": False},
        actor=coordinator,
    )
    run_job(job.pk)  # a finished export, its file in the storage
    import_job = Job.objects.create(
        project=project,
        owner=coordinator,
        kind="recruitment.import",
        title="Import osoby.xlsx",
        params={"file": "imports/gone.xlsx", "token": "gone", "filename": "osoby.xlsx"},
        status=Job.Status.DONE,
        progress=100,
        result={"count": 2, "skipped": 1, "restricted": [], "not_linked": 0},
    )
    return {
        "job": job,
        "import_job": import_job,
        "membership": Membership.objects.filter(project=project).order_by("pk").first(),
        "person": Participant.objects.filter(project=project, person__isnull=False).first(),
        "institution": Participant.objects.filter(
            project=project, institution__isnull=False
        ).first(),
        "application": Application.objects.filter(project=project).order_by("pk").first(),
        "consent": Consent.objects.filter(application__project=project).order_by("pk").first(),
        "entities": list(FoundedEntity.objects.filter(project=project).order_by("pk")),
        "indicators": list(Indicator.objects.filter(goal__project=project).order_by("pk")),
        "values": list(SnapshotValue.objects.filter(snapshot__project=project).order_by("pk")),
        "session": session,
        "booking": SessionBooking.objects.filter(session=session).first()
        or SessionBooking.objects.filter(session__task__project=project).first(),
        "enrolment": Enrolment.objects.filter(task__project=project).order_by("pk").first(),
        "certificate": Certificate.objects.filter(project=project).order_by("pk").first(),
        # The demo's correction waiting for the office (demo/rights.py).
        "correction": Correction.objects.filter(person__participations__project=project).first(),
        "run": BulkIssueRun.objects.filter(task__project=project).order_by("pk").first(),
        # An account the walk never logs in as (its pages may offer to deactivate it).
        "account": User.objects.get(username="partner"),
    }


def session_ids(d):
    return {"pk": d["session"].pk}


def task_ids(d):
    return {"task": d["enrolment"].task_id}


def certificate_task_ids(d):
    return {"task_pk": d["certificate"].task_id}


def entity_ids(d):
    return {"pk": d["entities"][0].pk}


def indicator_ids(d):
    return {"pk": d["indicators"][0].pk}


def application_ids(d):
    return {"pk": d["application"].pk}


def person_ids(d):
    return {"pk": d["person"].person_id}
