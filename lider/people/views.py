"""The back office of people and institutions: lists (sensitive values masked) and full pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lider.core import audit
from lider.core.permissions import allows
from lider.people import paths, queries, rectification, services, situations
from lider.people.forms import (
    CompletionForm,
    ExitForm,
    InstitutionDatesForm,
    ParticipationRuleForm,
    SearchForm,
    SituationsForm,
)
from lider.people.models import Institution, Participant, Person, Restriction, SituationSource
from lider.people.rectification_views import add_errors
from lider.projects.access import project_view

PER_PAGE = 50


def _can(roles) -> dict:
    return {
        "audit_view_object": allows(roles, "audit.view_object"),
        "path": allows(roles, "people.path"),
        "rule": allows(roles, "project.change"),
        "subject_rights": allows(roles, "personal.subject_rights"),
    }


@project_view("people.view")
def person_list(request, project):
    search = SearchForm(request.GET)
    people = (
        queries.people_in(project, search=search.term)
        if search.term
        else queries.people_list(project)
    )
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/backoffice/list.html",
        {
            "project": project,
            "page": page,
            "search": search.term,
            "search_errors": search.errors.get("q"),
            # Corrections proposed by people (art. 16), for those who decide them.
            "pending_corrections": rectification.pending_for(project).count()
            if allows(request.project_roles, "personal.subject_rights")
            else None,
        },
    )


def _person_in(project, pk) -> Person:
    person = get_object_or_404(Person.objects.select_related("gmina__parent"), pk=pk)
    if not person.in_project(project.pk):
        raise Http404
    return person


def _render_person(
    request,
    project,
    person,
    *,
    completion_form=None,
    exit_form=None,
    situations_form=None,
    status=200,
):
    participant = (
        Participant.objects.filter(project=project, person=person).select_related("project").first()
    )
    path = paths.path_of(participant) if participant else None
    later_due_on = situations.later_due_on(participant) if participant else None
    if participant and participant.end_date and situations_form is None:
        situations_form = SituationsForm(
            initial={
                "exit_situation": participant.exit_situation,
                "later_situation": participant.later_situation,
            },
            later=later_due_on <= timezone.localdate(),
        )
    if participant and completion_form is None:
        decision = {None: "", True: "yes", False: "no"}[participant.completed_override]
        completion_form = CompletionForm(
            initial={"decision": decision, "note": participant.completed_note}
        )
    return render(
        request,
        "people/backoffice/detail.html",
        {
            "project": project,
            "person": person,
            "participant": participant,
            "path": path,
            "first_support": paths.first_support(participant) if participant else None,
            "participation_kinds": paths.kinds_label(project),
            "participation_tasks": paths.tasks_label(project),
            "completion_form": completion_form,
            "situations_form": situations_form,
            "later_due_on": later_due_on,
            "exit_form": exit_form or ExitForm(project=project),
            "participations": person.participations.select_related("project"),
            "applications": person.applications.filter(project=project),
            "memberships": queries.memberships_of(person),
            "history": audit.history(person),
            "can": _can(request.project_roles),
            "restriction_kinds": Restriction.Kind.choices,
            "correction": person.corrections.filter(status="pending").first(),
        },
        status=status,
    )


@project_view("people.view")
def person_detail(request, project, pk):
    return _render_person(request, project, _person_in(project, pk))


@project_view("people.path")
@require_POST
def person_completion(request, project, pk):
    """The office overrides "completed as planned" with a note, or returns to the computed."""
    person = _person_in(project, pk)
    participant = get_object_or_404(Participant, project=project, person=person)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        return _render_person(request, project, person, completion_form=form, status=400)
    paths.override_completion(
        participant, value=form.value, note=form.cleaned_data["note"], actor=request.user
    )
    return redirect("people:detail", slug=project.slug, pk=person.pk)


@project_view("people.path")
@require_POST
def person_exit(request, project, pk):
    """The office records the day a participant dropped out and why (from the list)."""
    person = _person_in(project, pk)
    participant = get_object_or_404(Participant, project=project, person=person)
    form = ExitForm(request.POST, project=project)
    if not form.is_valid():
        return _render_person(request, project, person, exit_form=form, status=400)
    paths.record_exit(
        participant,
        reason=form.cleaned_data["reason"],
        on=form.cleaned_data["on"],
        actor=request.user,
    )
    return redirect("people:detail", slug=project.slug, pk=person.pk)


@project_view("people.path")
@require_POST
def person_situations(request, project, pk):
    """The office records the situation when leaving and four weeks after (audited)."""
    person = _person_in(project, pk)
    participant = get_object_or_404(Participant, project=project, person=person)
    due = situations.later_due_on(participant)
    form = SituationsForm(request.POST, later=bool(due and due <= timezone.localdate()))
    if situations.record_from_form(
        participant, form, source=SituationSource.OFFICE, actor=request.user
    ):
        messages.success(request, _("The situation has been recorded."))
        return redirect("people:detail", slug=project.slug, pk=person.pk)
    return _render_person(request, project, person, situations_form=form, status=400)


@project_view("people.view")
def later_list(request, project):
    """Whom to ask about their situation four weeks after leaving, and from when."""
    today = timezone.localdate()
    page = Paginator(situations.later_due(project, today), 50).get_page(request.GET.get("page"))
    for participant in page:
        participant.due_on = situations.later_due_on(participant)
    return render(
        request,
        "people/backoffice/later.html",
        {"project": project, "page": page, "link_days": situations.LINK_DAYS},
    )


@project_view("people.view")
def institution_list(request, project):
    search = SearchForm(request.GET)
    page = Paginator(queries.institutions_in(project, search=search.term), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/backoffice/institutions.html",
        {
            "project": project,
            "page": page,
            "search": search.term,
            "search_errors": search.errors.get("q"),
        },
    )


def _institution_in(project, pk) -> Institution:
    institution = get_object_or_404(Institution.objects.select_related("gmina__parent"), pk=pk)
    if not institution.in_project(project.pk):
        raise Http404
    return institution


def _render_institution(request, project, institution, *, dates_form=None, status=200):
    participant = Participant.objects.filter(project=project, institution=institution).first()
    if participant is not None and dates_form is None:
        dates_form = InstitutionDatesForm(
            initial={"start": participant.start_date, "end": participant.end_date}
        )
    return render(
        request,
        "people/backoffice/institution.html",
        {
            "project": project,
            "institution": institution,
            "participant": participant,
            "employees_dates": queries.employees_dates(participant) if participant else None,
            "dates_form": dates_form,
            "members": queries.members_of(institution),
            "applications": institution.applications.filter(project=project),
            "history": audit.history(institution),
            "can": _can(request.project_roles),
        },
        status=status,
    )


@project_view("people.view")
def institution_detail(request, project, pk):
    return _render_institution(request, project, _institution_in(project, pk))


@project_view("people.path")
@require_POST
def institution_dates(request, project, pk):
    """The office records the dates of support to an institution taking part (audited)."""
    institution = _institution_in(project, pk)
    participant = get_object_or_404(Participant, project=project, institution=institution)
    form = InstitutionDatesForm(request.POST)
    if form.is_valid():
        try:
            services.set_institution_dates(
                participant,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The dates of support have been saved."))
            return redirect("people:institution", slug=project.slug, pk=institution.pk)
    return _render_institution(request, project, institution, dates_form=form, status=400)


@project_view("project.change")
def participation_rule(request, project):
    """The project's rule of who is a participant; saving it recomputes every path."""
    form = ParticipationRuleForm(
        request.POST if request.method == "POST" else None, project=project
    )
    if request.method == "POST" and form.is_valid():
        changed = paths.change_rule(
            project,
            kinds=form.cleaned_data["kinds"],
            tasks=form.cleaned_data["tasks"],
            actor=request.user,
        )
        messages.success(
            request,
            _("The participation rule has been saved.")
            + " "
            + ngettext(
                "%(count)s participant's path changed.",
                "%(count)s participants' paths changed.",
                changed,
            )
            % {"count": changed},
        )
        return redirect("people:rule", slug=project.slug)
    return render(
        request,
        "people/backoffice/rule.html",
        {"project": project, "form": form},
        status=400 if form.is_bound else 200,
    )
