"""The roll-up's filters: programme, period and county, with choices from the visible projects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lider.projects.models import Project
from lider.reporting.rollup.queries import Filters
from lider.territory.models import Unit


class RollupFilterForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args, project_ids, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = {}
        projects = Project.objects.filter(pk__in=project_ids).select_related(
            "classification__parent__parent__parent"
        )
        for project in projects:
            for node in project.classification.lineage():
                nodes[node.pk] = node
        ordered = sorted(nodes.values(), key=lambda node: [n.code for n in node.lineage()])
        self.fields["programme"].choices = [("", _("all"))] + [
            (node.pk, "— " * (len(node.lineage()) - 1) + node.label) for node in ordered
        ]
        counties = {
            unit.code: unit.county_label
            for unit in Unit.objects.filter(projects__in=project_ids).order_by("reference_date")
        }
        self.fields["county"].choices = [("", _("all"))] + sorted(
            counties.items(), key=lambda item: item[1]
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            programme=data.get("programme") or None,
            start=data.get("start"),
            end=data.get("end"),
            county=data.get("county") or None,
        )
