from django.shortcuts import get_object_or_404, render

from lider.projects.logos import strip_for
from lider.projects.models import Project
from lider.projects.queries import project_cards, voivodeships_of
from lider.website.public_cache import cached_content, cached_page


def home(request):
    projects = Project.objects.public().select_related("applicant")
    return render(request, "website/home.html", {"projects": projects})


@cached_page
def project_page(request, slug):
    """The public card of a project: its content cached until something it shows changes."""
    project = get_object_or_404(Project.objects.public(), slug=slug)

    def context():
        card = project_cards().get(pk=project.pk)
        return {"project": card, "voivodeships": voivodeships_of(card)}

    content = cached_content("project", project, "website/project_content.html", context)
    return render(
        request,
        "website/project.html",
        {"project": project, "content": content, "logo_marks": strip_for(project).marks},
    )
