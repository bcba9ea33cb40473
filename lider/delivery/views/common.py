"""Helpers shared by the delivery views: permissions, the session lookup, the refusal page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lider.core.permissions import allows
from lider.delivery import services
from lider.delivery.models import Session
from lider.delivery.queries import (
    may_mark_attendance,
)


def permitted(request, *names) -> dict:
    return {name.split(".")[1]: allows(request.project_roles, name) for name in names}


def may_mark(request, session) -> bool:
    return may_mark_attendance(session, request.user, roles=request.project_roles)


def not_your_session(session) -> str:
    """Why a trainer may not mark attendance at this session: who keeps its list instead."""
    names = ", ".join(t.get_full_name() or t.username for t in session.trainers.all())
    if names:
        lead = _("This attendance list is kept by another trainer: %(names)s.") % {"names": names}
    else:
        lead = _(
            "No trainer is assigned to this session yet; the coordinator can assign you in the "
            "session's form."
        )
    return f"{lead} {services.NOT_YOUR_SESSION}"


def refuse(session):
    """Refuse a trainer's mark at a session they do not lead, saying why (the 403 page)."""
    nothing_saved = _("Nothing has been saved.")
    raise PermissionDenied(f"{not_your_session(session)} {nothing_saved}")


def session_or_404(project, pk):
    return get_object_or_404(
        Session.objects.select_related("task", "group__county", "venue__gmina__parent"),
        pk=pk,
        task__project=project,
    )
