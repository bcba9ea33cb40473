"""Helpers shared by the delivery views: permissions, the session lookup, the refusal page."""

from django.shortcuts import get_object_or_404, render

from lider.core.permissions import allows
from lider.delivery import services
from lider.delivery.models import Attendance, Session
from lider.delivery.queries import (
    may_mark_attendance,
)


def permitted(request, *names) -> dict:
    return {name.split(".")[1]: allows(request.project_roles, name) for name in names}


def may_mark(request, session) -> bool:
    return may_mark_attendance(session, request.user, roles=request.project_roles)


def refused_page(request, project, session):
    """The 403 page of a trainer who tried to mark attendance at a session they do not lead."""
    return render(
        request,
        "delivery/backoffice/refused.html",
        {"project": project, "session": session, "message": services.NOT_YOUR_SESSION},
        status=403,
    )


def session_or_404(project, pk):
    return get_object_or_404(
        Session.objects.select_related("task", "group__county", "venue__gmina__parent"),
        pk=pk,
        task__project=project,
    )


def counts_of(rows) -> dict:
    counts = dict.fromkeys(Attendance.Status.values, 0)
    unmarked = 0
    for row in rows:
        if row.mark:
            counts[row.mark] += 1
        else:
            unmarked += 1
    return {"by_status": counts, "unmarked": unmarked, "total": len(rows)}
