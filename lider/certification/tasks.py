"""Background work of certification (django-tasks: inline in development and tests)."""

from django_tasks import task


@task()
def bulk_issue(run_id: int) -> int:
    """Run a bulk issue recorded as ``BulkIssueRun``; returns how many were handled."""
    from lider.certification.issuing import run_bulk_issue
    from lider.certification.models import BulkIssueRun

    return run_bulk_issue(BulkIssueRun.objects.select_related("task__project").get(pk=run_id)).done
