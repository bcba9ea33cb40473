"""Reads of recruitment, shared by the back office and exports."""

from django.db.models import Count, Q

from lider.recruitment.models import Application, ApplicationTotal


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


def _summed(rows) -> dict:
    """The summary's figures from (status, is_eligible, identity, how many) rows."""
    figures = {
        "total": 0,
        "eligible": 0,
        "not_eligible": 0,
        "to_check": 0,
        **{status.value: 0 for status in Application.Status},
    }
    for status, is_eligible, identity, n in rows:
        figures["total"] += n
        figures["eligible" if is_eligible else "not_eligible"] += n
        if identity == Application.Identity.TO_CHECK:
            figures["to_check"] += n
        if status in figures:
            figures[status] += n
    return figures


def counts(applications) -> dict:
    """How many applications in each status, eligible or not, with the identity to check,
    and in all: one query grouped by (status, eligible, identity), read from the
    application_summary index alone, summed here (at most 6 × 2 × 4 rows)."""
    return _summed(
        applications.order_by()
        .values("status", "is_eligible", "identity")
        .annotate(n=Count("*"))
        .values_list("status", "is_eligible", "identity", "n")
    )


KEPT_FILTERS = {"status", "eligible", "identity"}


def summary(project, applications, **filters) -> dict:
    """The list's summary (:func:`counts`) of ``applications``, the project's under
    ``filters``: read from the kept counts (recruitment.totals, at most 48 rows) when the
    filters are only of status, eligibility and identity; counted from the applications when
    they name a county or a target group."""
    if any(value for name, value in filters.items() if name not in KEPT_FILTERS):
        return counts(applications)
    kept = ApplicationTotal.objects.filter(project=project)
    if filters.get("status"):
        kept = kept.filter(status=filters["status"])
    if filters.get("eligible") in {"yes", "no"}:
        kept = kept.filter(is_eligible=filters["eligible"] == "yes")
    if filters.get("identity"):
        kept = kept.filter(identity=filters["identity"])
    return _summed(kept.values_list("status", "is_eligible", "identity", "applications"))


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
