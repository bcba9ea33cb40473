"""Reads of recruitment, shared by the back office and exports."""

from django.db.models import Count, Q

from lider.recruitment.models import Application


def applications_for(project):
    return Application.objects.filter(project=project).select_related(
        "person__gmina__parent",
        "person__restriction",
        "institution__gmina__parent",
        "target_group",
    )


def filtered(applications, *, status="", county="", target_group="", eligible="", identity=""):
    if status:
        applications = applications.filter(status=status)
    if county:
        applications = applications.filter(
            Q(person__gmina__parent_id=county) | Q(institution__gmina__parent_id=county)
        )
    if target_group:
        applications = applications.filter(target_group_id=target_group)
    if eligible in {"yes", "no"}:
        applications = applications.filter(is_eligible=eligible == "yes")
    if identity:
        applications = applications.filter(identity=identity)
    return applications


def counts(applications) -> dict:
    """How many applications in each status, eligible or not, and in all (one query)."""
    statuses = {status: Count("pk", filter=Q(status=status)) for status in Application.Status}
    return applications.order_by().aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=Q(is_eligible=True)),
        not_eligible=Count("pk", filter=Q(is_eligible=False)),
        to_check=Count("pk", filter=Q(identity=Application.Identity.TO_CHECK)),
        **statuses,
    )


def ranking(project):
    """Eligible applications still waiting or on the reserve list, best first."""
    return (
        applications_for(project)
        .filter(
            is_eligible=True,
            status__in=[Application.Status.SUBMITTED, Application.Status.RESERVE],
        )
        .order_by("-score", "submitted_at", "pk")
    )


def application_language(person, participant=None) -> str:
    """The language of the application the participant came from (with no participant: the
    person's latest application), or "" (none): the language `people` writes to them in
    (registered in `lider.people.recipients`)."""
    if participant is not None:
        applications = Application.objects.filter(participant=participant)
    elif person is not None:
        applications = Application.objects.filter(person=person)
    else:
        return ""
    language = (
        applications.order_by("-submitted_at", "-pk").values_list("language", flat=True).first()
    )
    return language or ""
