"""The public results page of a project: goals, results and founded entities, regenerated from
the records on every request."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lider.projects.models import Project
from lider.reporting.queries import public_results


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def project_results(request, slug):
    project = get_object_or_404(
        Project.objects.public().prefetch_related("specific_goals"), slug=slug
    )
    return render(
        request,
        "website/results.html",
        {
            "project": project,
            "ended": timezone.localdate() > project.end_date,
            "main_goal": lower_first(project.main_goal),
            "results": public_results(project),
        },
    )
