"""Recruitment forms: the public application's own part, decisions, and the import upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lider.recruitment.models import Application, EligibilityRule, ScoringCriterion

PERSON_FIELDSETS = [
    (
        _("Personal data"),
        ["first_name", "last_name", "pesel", "other_document_type", "other_document_number"],
    ),
    (_("Without a PESEL"), ["birth_date", "sex"]),
    (
        _("Address and contact"),
        [
            "street",
            "house_number",
            "flat_number",
            "postal_code",
            "city",
            "gmina",
            "phone",
            "email",
        ],
    ),
    (
        _("Education and labour market"),
        ["education", "labour_status", "labour_detail", "cares_for_dependants"],
    ),
    (
        _("Monitoring questions (optional; you may refuse to answer)"),
        ["disability", "minority_or_migrant", "homeless", "other_disadvantage"],
    ),
]

INSTITUTION_FIELDSETS = [
    (_("Institution"), ["name", "legal_form", "kind", "nip", "regon", "krs", "website"]),
    (
        _("Seat and contact"),
        [
            "street",
            "house_number",
            "flat_number",
            "postal_code",
            "city",
            "gmina",
            "phone",
            "email",
        ],
    ),
]


class ApplicationForm(forms.Form):
    """Target group, the consents the project requires, and a honeypot for robots."""

    target_group = forms.ModelChoiceField(
        label=_("Target group"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    # Robots fill every field; people never see this one (it sits in a hidden block).
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, project, consent_texts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = project.target_groups.all()
        # An applicant declares a group by its whole description, never a shortened one.
        self.fields["target_group"].label_from_instance = lambda group: group.description
        self.consent_texts = consent_texts
        for text in consent_texts:
            self.fields[f"consent_{text.purpose}"] = forms.BooleanField(
                label=text.text,
                required=True,
                error_messages={"required": _("This consent is required to take part.")},
            )
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def consent_fields(self):
        return [self[f"consent_{text.purpose}"] for text in self.consent_texts]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage")))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Application.Status.ACCEPTED, _("accept")),
            (Application.Status.RESERVE, _("put on the reserve list")),
            (Application.Status.REJECTED, _("reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a rejection."),
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Application.Status.choices
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    eligible = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("all")), ("yes", _("eligible")), ("no", _("not eligible"))],
    )
    identity = forms.ChoiceField(
        label=_("Identity"), required=False, choices=[("", _("all"))] + Application.Identity.choices
    )

    def __init__(self, *args, counties, target_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("all"))] + [
            (str(c.pk), c.county_label) for c in counties
        ]
        self.fields["target_group"].choices = [("", _("all"))] + [
            (str(g.pk), str(g)) for g in target_groups
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "First row: column headers (Imię, Nazwisko, PESEL, Płeć, Data urodzenia, Ulica, "
            "Nr domu, Nr lokalu, Kod pocztowy, Miejscowość, Gmina, Telefon, E-mail, "
            "Wykształcenie, Status na rynku pracy)."
        ),
    )

    target_group = forms.ModelChoiceField(
        label=_("Target group of everyone in the file"), queryset=None, required=False
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = project.target_groups.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an XLSX or a CSV file."), code="file_type")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="file_size")
        return upload


class RuleForm(forms.ModelForm):
    class Meta:
        model = EligibilityRule
        fields = ["order", "kind", "min_age", "target_groups", "is_active"]
        widgets = {"target_groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = project.target_groups.all()
        self.fields["target_groups"].label_from_instance = lambda group: group.description

    def clean(self):
        data = super().clean()
        if data.get("kind") == EligibilityRule.Kind.MIN_AGE and data.get("min_age") is None:
            self.add_error("min_age", _("Give the minimum age."))
        return data


RuleFormSet = forms.modelformset_factory(EligibilityRule, form=RuleForm, extra=1, can_delete=True)
CriterionFormSet = forms.modelformset_factory(
    ScoringCriterion, fields=["order", "kind", "points"], extra=1, can_delete=True
)


class IdentityForm(forms.Form):
    """The office's decision on an applicant whose identifier another record has."""

    LINK, SEPARATE = "link", "separate"

    action = forms.ChoiceField(
        choices=[(LINK, _("link to the existing record")), (SEPARATE, _("keep separate"))]
    )
    record = forms.TypedChoiceField(label=_("Record"), coerce=int, required=False)
    take = forms.MultipleChoiceField(
        label=_("Take the submitted value"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        self.fields["record"].choices = [(pk, str(c)) for pk, c in self.candidates.items()]
        self.fields["take"].choices = [(name, name) for name in fields]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.LINK:
            if data.get("record") in (None, ""):
                self.add_error("record", _("Choose the record to link to."))
            else:
                data["record"] = self.candidates[data["record"]]
        return data
