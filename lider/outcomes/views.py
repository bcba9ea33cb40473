from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core import audit, pickers
from lider.core.permissions import allows
from lider.outcomes import services
from lider.outcomes.forms import FoundedEntityForm, ManualConfirmationForm
from lider.outcomes.models import FoundedEntity
from lider.outcomes.queries import founded_entities
from lider.projects.access import project_view


@project_view("outcomes.view")
def entity_list(request, project):
    return render(
        request,
        "outcomes/backoffice/list.html",
        {
            "project": project,
            "entities": founded_entities(project),
            "can_manage": allows(request.project_roles, "outcomes.manage"),
        },
    )


@project_view("outcomes.view")
def entity_detail(request, project, pk):
    entity = get_object_or_404(founded_entities(project), pk=pk)
    return render(
        request,
        "outcomes/backoffice/detail.html",
        {
            "project": project,
            "entity": entity,
            # The history names who changed what: only for roles that may read object histories.
            "history": audit.history(entity)
            if allows(request.project_roles, "audit.view_object")
            else None,
            "can_manage": allows(request.project_roles, "outcomes.manage"),
            "manual_form": ManualConfirmationForm(),
        },
    )


@project_view("outcomes.manage")
def entity_create(request, project):
    form = FoundedEntityForm(request.POST or None, project=project)
    if pickers.filtering(request):
        pickers.without_errors(form)
    elif request.method == "POST" and form.is_valid():
        try:
            entity = services.record_entity(
                project,
                actor=request.user,
                founders=list(form.cleaned_data["founders"]),
                **form.values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entity has been recorded."))
            return redirect("outcomes:detail", slug=project.slug, pk=entity.pk)
    return render(request, "outcomes/backoffice/form.html", {"project": project, "form": form})


@project_view("outcomes.manage")
def entity_edit(request, project, pk):
    entity = get_object_or_404(FoundedEntity, pk=pk, project=project)
    form = FoundedEntityForm(request.POST or None, instance=entity, project=project)
    if pickers.filtering(request):
        pickers.without_errors(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_entity(
                FoundedEntity.objects.get(pk=entity.pk),
                actor=request.user,
                founders=list(form.cleaned_data["founders"]),
                **form.values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entity has been saved."))
            return redirect("outcomes:detail", slug=project.slug, pk=entity.pk)
    return render(
        request,
        "outcomes/backoffice/form.html",
        {"project": project, "form": form, "entity": entity},
    )


@project_view("outcomes.manage")
@require_POST
def entity_verify(request, project, pk):
    entity = get_object_or_404(FoundedEntity, pk=pk, project=project)
    try:
        check = services.verify_from_krs(entity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The entity has been verified in KRS."))
        for name, ours, theirs in check.differences:
            label = FoundedEntity._meta.get_field(name).verbose_name
            messages.warning(
                request,
                _("%(field)s differs from KRS: %(ours)s (record) / %(theirs)s (KRS).")
                % {"field": label, "ours": ours, "theirs": theirs},
            )
        for name, theirs in check.refused:
            label = FoundedEntity._meta.get_field(name).verbose_name
            messages.warning(
                request,
                _("KRS gives %(field)s as “%(theirs)s”, which is not valid; the field stays empty.")
                % {"field": label, "theirs": theirs},
            )
    return redirect("outcomes:detail", slug=project.slug, pk=pk)


@project_view("outcomes.manage")
@require_POST
def entity_confirm(request, project, pk):
    entity = get_object_or_404(FoundedEntity, pk=pk, project=project)
    form = ManualConfirmationForm(request.POST)
    if form.is_valid():
        services.confirm_manually(entity, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The entity has been confirmed manually."))
    else:
        messages.error(request, _("Describe how the entity was checked."))
    return redirect("outcomes:detail", slug=project.slug, pk=pk)
