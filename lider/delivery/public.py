"""The public calendar: the open events (meetings, forums, conferences) a project announces."""

from django.shortcuts import get_object_or_404, render

from lider.delivery.models import Session
from lider.projects.models import Project


def public_calendar(request, slug):
    project = get_object_or_404(Project.objects.public(), slug=slug)
    sessions = (
        Session.objects.public()
        .filter(task__project=project)
        .select_related("task", "venue__gmina__parent")
        .order_by("date", "start_time", "pk")
    )
    return render(
        request, "delivery/public/calendar.html", {"project": project, "sessions": sessions}
    )
