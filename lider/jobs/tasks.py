"""Background work of jobs (django-tasks: inline in development and tests)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from lider.jobs.services import run_job as run

    return run(job_id)
