"""Forms for people and institutions: validation only, writes go through services."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lider.people.fields import INSTITUTION_FIELDS, PERSON_FIELDS
from lider.people.identifiers import normalise_pesel
from lider.people.models import Institution, Person
from lider.territory.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """The search box of the people and institution lists: bounded, no NUL bytes."""

    q = forms.CharField(required=False, max_length=100)

    @property
    def term(self) -> str:
        """What to search for; nothing when the input was refused (its error is shown)."""
        return self.cleaned_data["q"] if self.is_valid() else ""


class GminaField(forms.TypedChoiceField):
    """A gmina from a fixed list, grouped by county (<optgroup>): works without JavaScript.

    Urban-rural gminas appear as their town and rural parts (see `territory.queries.gminas_in`).
    """

    default_error_messages = {
        "invalid_choice": _(
            "The selected gmina lies outside the project's area: choose one from the list."
        ),
    }

    def __init__(self, *, gminas=(), **kwargs):
        self.units = {unit.pk: unit for unit in gminas}
        kwargs.setdefault("label", _("gmina"))
        super().__init__(coerce=self._unit, empty_value=None, **kwargs)
        self.choices = self.grouped(gminas)

    @staticmethod
    def grouped(gminas) -> list:
        ordered = sorted(gminas, key=lambda u: (u.parent.code, u.name, u.gmina_type))
        return [("", "—")] + [
            (county.county_label, [(unit.pk, str(unit)) for unit in units])
            for county, units in groupby(ordered, key=lambda u: u.parent)
        ]

    def _unit(self, value):
        try:
            return self.units[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="outside") from None

    def valid_value(self, value):
        try:
            return int(value) in self.units
        except (TypeError, ValueError):
            return False


class PersonForm(forms.ModelForm):
    """A person's data: PESEL (birth date and sex derived), or another document with both."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS  # the rendering order is the fieldsets' (recruitment.forms)
        widgets = {"birth_date": DATE}
        help_texts = {
            "pesel": _("Without a PESEL, give another identity document, birth date and sex."),
            "birth_date": _("Only without a PESEL (the PESEL gives it)."),
            "sex": _("Only without a PESEL (the PESEL gives it)."),
        }

    def __init__(self, *args, gminas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gmina"] = GminaField(gminas=gminas, required=True)
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False
        for name in ("postal_code", "city", "email", "education", "labour_status"):
            self.fields[name].required = True
        self.fields["cares_for_dependants"] = forms.NullBooleanField(
            label=Person._meta.get_field("cares_for_dependants").verbose_name,
            required=False,
            widget=forms.Select(choices=[("", "—"), ("true", _("yes")), ("false", _("no"))]),
        )

    def clean_pesel(self):
        value = self.cleaned_data.get("pesel", "").strip()
        return normalise_pesel(value) if value else ""

    def clean(self):
        data = super().clean()
        if not data.get("pesel") and "pesel" not in self.errors:
            # Person.clean() asks for the other document; the form asks for what a PESEL gives.
            for name in ("birth_date", "sex"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        ValidationError(_("Without a PESEL this is required."), code="required"),
                    )
        return data

    def _get_validation_exclusions(self):
        # A PESEL known from another project is the same person, not a clash: the service
        # links the existing record. (Person.clean() still validates and normalises it.)
        return super()._get_validation_exclusions() | {"pesel"}


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = INSTITUTION_FIELDS
        labels = {"gmina": _("seat (gmina)")}

    def __init__(self, *args, gminas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gmina"] = GminaField(gminas=gminas, required=True, label=_("seat (gmina)"))
        for name in ("postal_code", "city", "email"):
            self.fields[name].required = True

    def _get_validation_exclusions(self):
        # An institution known by its NIP is the same institution: the service links it.
        return super()._get_validation_exclusions() | {"nip"}


def gminas_by_county(gminas: list[Unit]) -> list:
    return GminaField.grouped(gminas)


class CompletionForm(forms.Form):
    """The office's decision on "completed as planned", or a return to the computed value."""

    DECISIONS = {"": None, "yes": True, "no": False}

    decision = forms.ChoiceField(
        label=_("Completed the planned path"),
        required=False,
        choices=[("", _("as computed")), ("yes", _("yes")), ("no", _("no"))],
    )
    note = forms.CharField(label=_("Note on the decision"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for the decision."))
        return data

    @property
    def value(self) -> bool | None:
        return self.DECISIONS[self.cleaned_data["decision"]]


class ExitForm(forms.Form):
    """The office records that a participant dropped out: the day and a reason from the list."""

    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=())
    on = forms.DateField(label=_("Dropped out on"), widget=DATE)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        from lider.people.models import Participant
        from lider.people.paths import LEFT_EARLY

        self.fields["reason"].choices = [
            (value, label) for value, label in Participant.ExitReason.choices if value in LEFT_EARLY
        ]
        self.project = project

    def clean_on(self):
        on = self.cleaned_data["on"]
        if self.project and not (self.project.start_date <= on <= self.project.end_date):
            raise ValidationError(_("The day must fall within the project's period."))
        return on


class InstitutionDatesForm(forms.Form):
    """The office's dates of support to an institution; either may stay empty (then the
    exports take it from its employees' paths). The rules are the service's."""

    start = forms.DateField(
        label=_("Start of support to the institution"), required=False, widget=DATE
    )
    end = forms.DateField(label=_("End of support to the institution"), required=False, widget=DATE)


class ParticipationRuleForm(forms.Form):
    """Which task kinds, and which single tasks of the project, make a person a participant."""

    kinds = forms.MultipleChoiceField(
        label=_("Task kinds whose support makes a person a participant"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    tasks = forms.ModelMultipleChoiceField(
        label=_("Single tasks that also make a person a participant, whatever their kind"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=None,
    )

    def __init__(self, *args, project, **kwargs):
        from lider.projects.models import Task

        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = Task.Kind.choices
        self.fields["tasks"].queryset = project.tasks.order_by("order", "pk")
        if not self.is_bound:
            self.initial = {
                "kinds": list(project.participation_kinds or []),
                "tasks": list(project.participation_tasks.values_list("pk", flat=True)),
            }

    def clean(self):
        data = super().clean()
        if not data.get("kinds") and not data.get("tasks"):
            raise ValidationError(
                _("Choose at least one task kind or task: otherwise nobody is a participant."),
                code="empty",
            )
        return data


class SituationsForm(forms.Form):
    """The situation when leaving the project and four weeks after (either may stay empty)."""

    exit_situation = forms.ChoiceField(
        label=_("Situation when leaving the project"), required=False, choices=()
    )
    later_situation = forms.ChoiceField(
        label=_("Situation four weeks after leaving"), required=False, choices=()
    )

    def __init__(self, *args, later=True, **kwargs):
        from lider.people.models import Situation

        super().__init__(*args, **kwargs)
        for name in ("exit_situation", "later_situation"):
            self.fields[name].choices = [("", "—"), *Situation.choices]
        if not later:  # not due yet: the field is not offered
            del self.fields["later_situation"]


class LaterSituationForm(forms.Form):
    """The participant's answer through the e-mailed link: one question."""

    situation = forms.ChoiceField(
        label=_("Your situation now, four weeks after leaving the project"),
        widget=forms.RadioSelect,
        choices=(),
    )

    def __init__(self, *args, **kwargs):
        from lider.people.models import Situation

        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = Situation.choices
