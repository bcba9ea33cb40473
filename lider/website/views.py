from django.shortcuts import get_object_or_404, render

from lider.projects.models import Project
from lider.projects.queries import project_cards, voivodeships_of


def home(request):
    projects = Project.objects.public().select_related("applicant")
    return render(request, "website/home.html", {"projects": projects})


def project_page(request, slug):
    project = get_object_or_404(project_cards().public(), slug=slug)
    return render(
        request,
        "website/project.html",
        {
            "project": project,
            "voivodeships": voivodeships_of(project),
        },
    )
