"""The public results page of a project: goals, results and founded entities, computed from the
records and cached until one of them changes (see ``public_cache``)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lider.projects.logos import strip_for
from lider.projects.models import Project
from lider.reporting.queries import public_results
from lider.website.public_cache import cached_content, cached_page


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@cached_page
def project_results(request, slug):
    project = get_object_or_404(Project.objects.public(), slug=slug)

    def context():
        goals = list(project.specific_goals.all())
        return {
            "project": project,
            "goals": goals,
            "ended": timezone.localdate() > project.end_date,
            "main_goal": lower_first(project.main_goal),
            "results": public_results(project),
        }

    content = cached_content("results", project, "website/results_content.html", context)
    return render(
        request,
        "website/results.html",
        {"project": project, "content": content, "logo_marks": strip_for(project).marks},
    )
