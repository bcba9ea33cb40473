"""The office's side of rectification (art. 16): editing a person's data, deciding proposals."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lider.people import rectification, services
from lider.people.forms import PersonForm
from lider.people.models import Person
from lider.people.rectification_models import Correction
from lider.projects.access import project_view
from lider.territory.queries import gminas_in


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason for the change and how it was requested"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting (the person will read it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _person_in(project, pk) -> Person:
    from lider.people.views import _person_in as person_in

    return person_in(project, pk)


def _gminas(project, person) -> list:
    gminas = list(gminas_in(project.counties.all()))
    if person.gmina_id and all(g.pk != person.gmina_id for g in gminas):
        gminas.append(person.gmina)
    return gminas


def add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@project_view("personal.subject_rights")
def edit_person(request, project, pk):
    """The office corrects a person's data, validated like the form and audited old → new."""
    person = _person_in(project, pk)
    edited = Person.objects.select_related("gmina__parent").get(pk=person.pk)  # the form's copy
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, instance=edited, gminas=_gminas(project, person))
    note = NoteForm(data)
    if data is not None and form.is_valid() & note.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("people:detail", slug=project.slug, pk=person.pk)
        try:
            services.update_person(
                person, changes, actor=request.user, note=note.cleaned_data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The person's data has been corrected."))
            return redirect("people:detail", slug=project.slug, pk=person.pk)
    return render(
        request,
        "people/backoffice/edit.html",
        {"project": project, "person": person, "form": form, "note_form": note},
        status=400 if data is not None else 200,
    )


@project_view("personal.subject_rights")
def correction_list(request, project):
    return render(
        request,
        "people/backoffice/corrections.html",
        {"project": project, "corrections": rectification.pending_for(project)},
    )


def _correction(project, pk, correction_pk) -> Correction:
    person = _person_in(project, pk)
    return get_object_or_404(
        Correction.objects.select_related("person"), pk=correction_pk, person=person
    )


@project_view("personal.subject_rights")
@require_POST
def correction_accept(request, project, pk, correction):
    proposal = _correction(project, pk, correction)
    try:
        rectification.accept(proposal, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The correction has been applied; the person is told."))
    return redirect("people:detail", slug=project.slug, pk=pk)


@project_view("personal.subject_rights")
@require_POST
def correction_reject(request, project, pk, correction):
    proposal = _correction(project, pk, correction)
    form = RejectForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("people:detail", slug=project.slug, pk=pk)
    try:
        rectification.reject(proposal, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The correction has been rejected; the person is told."))
    return redirect("people:detail", slug=project.slug, pk=pk)


class ProposalForm(forms.Form):
    """The fields a participant may propose to correct, filled with what is recorded."""

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Person, fields=rectification.PROPOSABLE)
        for name in rectification.PROPOSABLE:
            fields[name].initial = getattr(person, name)
            self.fields[name] = fields[name]
        self.fields["comment"] = forms.CharField(
            label=gettext_lazy("Comment for the office (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in rectification.PROPOSABLE}
