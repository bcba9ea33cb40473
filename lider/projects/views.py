from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lider.projects import services
from lider.projects.access import project_view, projects_for, staff_view
from lider.projects.forms import ProjectCardForm
from lider.projects.queries import project_cards, voivodeships_of


@staff_view
def project_list(request):
    projects = (
        projects_for(request.user).select_related("classification").order_by("-start_date", "title")
    )
    return render(request, "projects/backoffice/list.html", {"projects": projects})


@project_view("project.view")
def project_detail(request, project):
    card = project_cards().get(pk=project.pk)
    return render(
        request,
        "projects/backoffice/detail.html",
        {
            "project": card,
            "voivodeships": voivodeships_of(card),
            "roles": request.project_roles,
        },
    )


@project_view("project.change")
def project_edit(request, project):
    form = ProjectCardForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.update_project_card(project, actor=request.user, form=form)
        messages.success(request, _("The project card has been saved."))
        return redirect("projects:detail", slug=project.slug)
    return render(request, "projects/backoffice/edit.html", {"project": project, "form": form})
