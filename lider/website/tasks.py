"""Background work of the website (django-tasks: inline in development and tests)."""

from django_tasks import task


@task()
def anonymise_due() -> int:
    """Anonymise the people of every project past its archiving date; returns how many."""
    from lider.website.anonymise_due import run

    return sum(item.people for item in run(apply=True))
