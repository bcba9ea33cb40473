from django import forms
from django.utils.translation import gettext_lazy as _

from lider.core.pickers import SearchableCheckboxes
from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant


class FounderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.full_name if obj.person_id else str(obj.institution)


class FoundedEntityForm(forms.ModelForm):
    founders = FounderChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        label=_("founders"),
        widget=SearchableCheckboxes,
    )

    class Meta:
        model = FoundedEntity
        fields = [
            "order",
            "name",
            "legal_form",
            "krs",
            "nip",
            "regon",
            "registration_date",
            "city",
            "street",
            "postal_code",
            "founders",
            "evidence",
        ]
        widgets = {"registration_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["founders"].queryset = (
            Participant.objects.filter(project=project, person__isnull=False)
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")
        )

    def values(self) -> dict:
        """The cleaned values for the service, without the founders."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "founders"}


class ManualConfirmationForm(forms.Form):
    note = forms.CharField(
        label=_("How the entity was checked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: extract checked on ekrs.ms.gov.pl, printout in the file."),
    )
