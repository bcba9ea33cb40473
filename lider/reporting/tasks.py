"""Background work of reporting (django-tasks: the worker in production, inline in
development and tests)."""

from django_tasks import task


@task()
def rebuild_totals(project_id: int) -> bool:
    """Rebuild a project's measure totals unless they are current (``lider.reporting.totals``)."""
    from lider.reporting.totals import rebuild_if_stale

    return rebuild_if_stale(project_id)
