"""What the indicators dashboard and the roll-up are kept under (``lider.core.kept_pages``).

The dashboard shows one project's figures, indicators, applications by status, certificates,
entities, and county names: its project's data token (dropped by the public pages' signals,
by every change that marks the measure totals stale, and by an application's change here) and
the token of what every project shows. The roll-up shows every project the user may see: the
token dropped by any project's change.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from lider.core import kept_pages
from lider.projects.models import Project


def dashboard_tokens(request, slug, **kwargs) -> list[str]:
    project_id = Project.objects.filter(slug=slug).values_list("pk", flat=True).first()
    return [kept_pages.project_data_token(project_id), kept_pages.SHARED]


def rollup_tokens(request, **kwargs) -> list[str]:
    return [kept_pages.DATA, kept_pages.SHARED]


def _application_changed(sender, instance, **kwargs):
    kept_pages.forget_project(instance.project_id)


def connect() -> None:
    if not apps.is_installed("lider.recruitment"):
        return
    application = apps.get_model("recruitment", "Application")
    for signal in (post_save, post_delete):
        uid = f"lider.reporting.kept.application.{signal is post_save}"
        signal.connect(_application_changed, sender=application, dispatch_uid=uid)
