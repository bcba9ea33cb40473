"""What drops the cached public pages (``public_cache``): signals, used for invalidation only."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from lider.core.signals import rows_written
from lider.website import public_cache


def _project_of(instance) -> int | None:
    """The project a changed row belongs to, without a query where the row says it."""
    from lider.projects.models import Project, Task

    if isinstance(instance, Project):
        return instance.pk
    if isinstance(instance, Task):
        return instance.project_id
    project_id = getattr(instance, "project_id", None)
    if project_id is None and getattr(instance, "task_id", None) is not None:
        project_id = Task.objects.filter(pk=instance.task_id).values_list("project_id", flat=True)
        project_id = project_id.first()
    return project_id


def _forget_row(sender, instance, **kwargs):
    public_cache.forget_project(_project_of(instance))


def _forget_relation(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # e.g. a county's projects changed: rare, so every page is dropped
        public_cache.forget_all()
    else:
        public_cache.forget_project(_project_of(instance))


def _forget_certificate(sender, instance, **kwargs):
    """Its verification page, and its project's pages (the results count certificates)."""
    public_cache.forget_certificates([instance.code])
    public_cache.forget_project(instance.project_id)


def _forget_written(sender, project_id=None, **kwargs):
    public_cache.forget_project(project_id)


def _forget_everything(sender, **kwargs):
    public_cache.forget_all()


def _forget_logo_mark(sender, instance, **kwargs):
    """A project's own mark: its pages; a programme's: every page (rare, by an administrator)."""
    if instance.project_id is not None:
        public_cache.forget_project(instance.project_id)
    else:
        public_cache.forget_all()


def connect() -> None:
    from lider.certification.models import Certificate
    from lider.delivery.models import Enrolment
    from lider.outcomes.models import FoundedEntity
    from lider.people.models import Participant
    from lider.projects.models import (
        LogoMark,
        Organisation,
        ProgrammeNode,
        Project,
        SpecificGoal,
        TargetGroup,
        Task,
    )
    from lider.territory.models import Unit

    # What one project's card and results page show.
    for model in (
        Project,
        SpecificGoal,
        TargetGroup,
        Task,
        Participant,
        Enrolment,
        FoundedEntity,
    ):
        uid = f"lider.website.public_cache.{model._meta.label}"
        post_save.connect(_forget_row, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_forget_row, sender=model, dispatch_uid=uid + ".delete")
    uid = "lider.website.public_cache.certification.Certificate"
    post_save.connect(_forget_certificate, sender=Certificate, dispatch_uid=uid + ".save")
    post_delete.connect(_forget_certificate, sender=Certificate, dispatch_uid=uid + ".delete")
    for relation in (Project.counties, Project.partners, Task.counties):
        m2m_changed.connect(
            _forget_relation,
            sender=relation.through,
            dispatch_uid=f"lider.website.public_cache.{relation.through._meta.label}",
        )
    uid = "lider.website.public_cache.projects.LogoMark"
    post_save.connect(_forget_logo_mark, sender=LogoMark, dispatch_uid=uid + ".save")
    post_delete.connect(_forget_logo_mark, sender=LogoMark, dispatch_uid=uid + ".delete")
    rows_written.connect(_forget_written, dispatch_uid="lider.website.public_cache.written")
    # Names every project's card shows: applicants, partners, institutions, programme, places.
    for model in (Organisation, ProgrammeNode, Unit):
        uid = f"lider.website.public_cache.{model._meta.label}"
        post_save.connect(_forget_everything, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_forget_everything, sender=model, dispatch_uid=uid + ".delete")
    # A newer territorial register (bulk-created, so no post_save): the county names it gives.
    from lider.territory.signals import register_loaded

    register_loaded.connect(_forget_everything, dispatch_uid="lider.website.public_cache.terc")
