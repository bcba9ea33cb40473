from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lider.core import audit, pickers, sensitive
from lider.core.access import installation_view, is_installation_administrator
from lider.core.collation import polish
from lider.core.models import AuditEntry
from lider.core.permissions import Role, allows
from lider.projects import hooks, invitations, services
from lider.projects.access import project_view, projects_for, staff_view
from lider.projects.forms import (
    GrantRoleForm,
    KrsLookupForm,
    OrganisationForm,
    ProjectCardForm,
    ProjectCreateForm,
    ProjectStateForm,
    structure_formsets,
)
from lider.projects.menu import sections_for
from lider.projects.models import Membership, Project
from lider.projects.queries import project_cards, voivodeships_of


@staff_view
def project_list(request):
    projects = (
        projects_for(request.user).select_related("classification").order_by("-start_date", "title")
    )
    return render(
        request,
        "projects/backoffice/list.html",
        {
            "projects": projects,
            "is_installation_administrator": is_installation_administrator(request.user),
        },
    )


@installation_view
def project_create(request):
    """Step 1 of a new project: its card. The project starts as a draft, the creator its
    administrator; step 2 is the structure page (target groups, goals, tasks)."""
    data = request.POST if request.method == "POST" else None
    form = ProjectCreateForm(
        data,
        initial={"cofinancing_statement": DEFAULT_COFINANCING},
        templates=template_projects(request.user),
    )
    if pickers.filtering(request):
        pickers.without_errors(form)
    elif data is not None and form.is_valid():
        project = services.create_project(actor=request.user, form=form)
        messages.success(
            request,
            _(
                "The project has been created as a draft: nothing of it is public yet. Now add "
                "its target groups, goals and tasks."
            ),
        )
        return redirect("projects:structure", slug=project.slug)
    return render(request, "projects/backoffice/create.html", {"form": form})


def template_projects(user):
    """Projects whose structure this user may copy: those they manage (all, for a superuser)."""
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(
        memberships__user=user, memberships__role__in=[Role.ADMINISTRATOR, Role.COORDINATOR]
    ).distinct()


DEFAULT_COFINANCING = "Projekt współfinansowany ze środków Unii Europejskiej"


@installation_view
def organisation_create(request):
    """A new applicant, partner or funding institution for a new project."""
    return _organisation_page(request, project=None)


@project_view("project.change")
def project_organisation_create(request, project):
    """A new partner (or other organisation) while editing a project's card."""
    return _organisation_page(request, project=project)


def _organisation_page(request, *, project):
    """Add an organisation; its details can be filled in from KRS. Back to where one came from."""
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data)
    lookup_available = hooks.organisation_lookup is not None
    if data is not None and "_krs" in data:
        # Fill in from KRS: the form is shown again with what the register says; nothing saved.
        lookup = KrsLookupForm({"krs": data.get("krs", "")})
        form = OrganisationForm(initial={k: v for k, v in data.items() if k in form.fields})
        if not lookup_available:
            messages.error(request, _("Looking up the KRS is not available here."))
        elif lookup.is_valid():
            try:
                details = hooks.organisation_lookup(lookup.cleaned_data["krs"])
            except hooks.LookupFailed as error:
                messages.error(request, str(error))
            else:
                form = OrganisationForm(
                    initial={
                        "name": details.name[:300],
                        "krs": details.krs,
                        "nip": details.nip,
                        "regon": details.regon,
                        "city": details.city[:100],
                    }
                )
                messages.success(
                    request,
                    _("Filled in from the KRS. Check the details, then save."),
                )
        else:
            for error in lookup.errors.get("krs", []):
                messages.error(request, error)
    elif data is not None and form.is_valid():
        organisation = services.create_organisation(actor=request.user, form=form, project=project)
        messages.success(
            request,
            _("The organisation %(name)s has been added.") % {"name": organisation.name},
        )
        if project is not None:
            return redirect("projects:edit", slug=project.slug)
        return redirect("projects:create")
    return render(
        request,
        "projects/backoffice/organisation_create.html",
        {"form": form, "lookup_available": lookup_available, "project": project},
    )


@project_view("project.view")
def project_detail(request, project):
    card = project_cards().get(pk=project.pk)
    return render(
        request,
        "projects/backoffice/detail.html",
        {
            "project": card,
            "voivodeships": voivodeships_of(card),
            "can": _abilities(request.project_roles),
            "sections": sections_for(card, request.project_roles),
            # The art. 13 clause lives in recruitment; the card only warns when it is missing.
            "clause_missing": not card.information_clauses.filter(is_current=True).exists(),
        },
    )


def _abilities(roles) -> dict:
    """What the menu of a project page may offer to these roles."""
    return {
        name.replace(".", "_"): allows(roles, name)
        for name in (
            "project.change",
            "project.state",
            "roles.view",
            "audit.view_object",
            "audit.view_project",
        )
    }


@project_view("project.change")
def project_edit(request, project):
    form = ProjectCardForm(request.POST or None, instance=project)
    if pickers.filtering(request):
        pickers.without_errors(form)
    elif request.method == "POST" and form.is_valid():
        services.update_project_card(project, actor=request.user, form=form)
        messages.success(request, _("The project card has been saved."))
        return redirect("projects:detail", slug=project.slug)
    return render(request, "projects/backoffice/edit.html", {"project": project, "form": form})


# What each state means for the public site, as the state page explains it.
STATE_MEANINGS = {
    Project.State.DRAFT: gettext_lazy(
        "Being set up. Nothing of the project is public: no page, results, calendar or "
        "application form."
    ),
    Project.State.RECRUITING: gettext_lazy(
        "Published. The public page, results and calendar are shown and the application "
        "form takes applications."
    ),
    Project.State.RUNNING: gettext_lazy(
        "Support is being delivered. Everything stays public and the application form still "
        "takes applications (recruitment in rounds)."
    ),
    Project.State.CLOSED: gettext_lazy(
        "The project has ended. Its page and results stay public; the application form is "
        "closed. It can be reopened as running, e.g. after an annex."
    ),
    Project.State.ARCHIVED: gettext_lazy(
        "Kept for the record. Public as a closed project. This is final: an archived project "
        "cannot change its state again."
    ),
}


@project_view("project.change")
def project_structure(request, project):
    """Step 2 of a new project, and later edits: target groups, specific goals and tasks."""
    data = request.POST if request.method == "POST" else None
    formsets = structure_formsets(project, data)
    # Every formset validated (not all() short-circuiting), so every error shows at once.
    valid = [formset.is_valid() for formset in formsets]
    if data is not None and all(valid):
        services.save_structure(project, actor=request.user, formsets=formsets)
        messages.success(request, _("The target groups, goals and tasks have been saved."))
        return redirect("projects:detail", slug=project.slug)
    groups, goals, tasks = formsets
    return render(
        request,
        "projects/backoffice/structure.html",
        {"project": project, "groups": groups, "goals": goals, "tasks": tasks},
    )


@project_view("project.state")
def project_state(request, project):
    """The project's state, what each next state means, and the POST that moves it there."""
    form = ProjectStateForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_state(
                project,
                actor=request.user,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The project is now: %(state)s.") % {"state": project.get_state_display()},
            )
            return redirect("projects:detail", slug=project.slug)
    return render(
        request,
        "projects/backoffice/state.html",
        {
            "project": project,
            "form": form,
            "states": [(state, STATE_MEANINGS[state]) for state in project.State],
        },
    )


@project_view("roles.view")
def role_list(request, project):
    memberships = (
        Membership.objects.filter(project=project)
        .select_related("user")
        .order_by(polish("user__last_name"), polish("user__first_name"), "user__username", "role")
    )
    form = GrantRoleForm(request.POST or None)
    form.fields["role"].choices = invitations.grantable_roles(project, actor=request.user)
    can_manage = allows(request.project_roles, "roles.manage")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.grant_role(
                    project,
                    actor=request.user,
                    user=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The role has been granted."))
                return redirect("projects:roles", slug=project.slug)
    return render(
        request,
        "projects/backoffice/roles.html",
        {"project": project, "memberships": memberships, "form": form, "can_manage": can_manage},
    )


@project_view("roles.manage")
def role_revoke(request, project, pk):
    """A page that says what revoking the role will do; the POST from it revokes."""
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, project=project
    )
    if request.method == "POST":
        try:
            services.revoke_role(membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The role has been revoked."))
        return redirect("projects:roles", slug=project.slug)
    other_roles = (
        Membership.objects.filter(project=project, user=membership.user)
        .exclude(pk=membership.pk)
        .order_by("role")
    )
    return render(
        request,
        "projects/backoffice/role_revoke.html",
        {
            "project": project,
            "membership": membership,
            "other_roles": other_roles,
            "refusal": services.revoke_refusal(membership, actor=request.user),
        },
    )


@project_view("audit.view_object")
def card_history(request, project):
    """The history of the project card itself."""
    entries = audit.history(project)
    return render(
        request,
        "projects/backoffice/audit.html",
        {"project": project, "entries": entries, "title": _("History of the project card")},
    )


@project_view("audit.view_project")
def project_audit(request, project):
    """Every audit entry of the project: the auditor's view."""
    entries = AuditEntry.objects.filter(project_id=project.pk).select_related(
        "actor", "content_type"
    )
    action = request.GET.get("action")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/backoffice/audit.html",
        {
            "project": project,
            "entries": page,
            "page": page,
            "actions": AuditEntry.Action.choices,
            "title": _("Audit trail of the project"),
        },
    )


@project_view("personal.view_sensitive")
@require_POST
def reveal(request, project, model, pk, field):
    """Show one sensitive value in full, and record that it was shown (an HTMX fragment)."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    if not sensitive.is_sensitive(model_class, field):
        raise Http404
    obj = get_object_or_404(model_class, pk=pk)
    if hasattr(obj, "in_project"):
        belongs = obj.in_project(project.pk)
    else:
        belongs = audit.project_of(obj) == project.pk
    if not belongs:
        raise Http404
    audit.record(
        request.user,
        audit.Action.VIEW_SENSITIVE,
        obj,
        changes={field: None},
        project_id=project.pk,
    )
    value = sensitive.display(obj, field, reveal=True)
    return render(request, "includes/sensitive_value.html", {"value": value, "revealed": True})
