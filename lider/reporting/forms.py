import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lider.projects.models import SpecificGoal, Task
from lider.reporting.measures import REGISTRY, available
from lider.reporting.models import Indicator


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data


class SnapshotForm(forms.Form):
    reporting_date = forms.DateField(
        label=_("Reporting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_start = forms.DateField(
        label=_("Start of the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("reporting_date")
        if start and end and start > end:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data


def default_period(project, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The quarter containing ``today`` clipped to the project (a payment-claim period)."""
    day = min(max(today, project.start_date), project.end_date)
    start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    end = datetime.date(day.year + end_month // 13, (end_month - 1) % 12 + 1, 1)
    end = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    return max(start, project.start_date), min(end, project.end_date)


def _select(choices) -> forms.Select:
    return forms.Select(choices=[("", "—"), *choices])


class IndicatorForm(forms.ModelForm):
    """An indicator of the project: the measure's parameters come from their own fields.

    The fields offer the project's goals, tasks and counties; whether the parameters fit the
    measure and the project is decided by ``Indicator.clean`` (the check the admin runs too),
    which the form calls through the model's validation."""

    # One field for each kind of parameter (``Param.kind``). They are plain text with a list to
    # choose from, so a value from outside the list reaches the measure's own validation.
    task = forms.CharField(label=_("Task"), required=False)
    task_kind = forms.CharField(label=_("Kind of task"), required=False)
    county = forms.CharField(label=_("County"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "goal",
            "name",
            "kind",
            "unit",
            "target_total",
            "target_women",
            "target_men",
            "measure",
        ]
        labels = {
            "goal": _("Specific goal"),
            "name": _("Name of the indicator"),
            "kind": _("Type"),
            "unit": _("Unit"),
            "target_total": _("Target"),
            "target_women": _("Target for women"),
            "target_men": _("Target for men"),
            "measure": _("Measurement"),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = SpecificGoal.objects.filter(project=project)
        self.fields["goal"].label_from_instance = lambda g: f"{g.order}. {g}"
        self.fields["measure"].choices = [("", "—")] + [(m.key, m.label) for m in available()]
        self.fields["measure"].help_text = _("The parameters it needs are listed below the form.")
        tasks = project.tasks.order_by("order", "pk")
        self.fields["task"].widget = _select([(t.pk, f"{t.order}. {t.title}") for t in tasks])
        self.fields["task_kind"].widget = _select(Task.Kind.choices)
        counties = project.counties.order_by("name")
        self.fields["county"].widget = _select([(c.code, c.name) for c in counties])
        if self.instance.measure in REGISTRY:
            for param in REGISTRY[self.instance.measure].params:
                self.fields[param.kind].initial = self.instance.params.get(param.name)

    def clean(self):
        cleaned = super().clean()
        self.instance.params = self.params()
        return cleaned

    def params(self) -> dict:
        """The parameters of the chosen measure (values of the other parameter fields are left
        out); a task is an id, so digits become a number."""
        key = self.cleaned_data.get("measure")
        if key not in REGISTRY:
            return {}
        params = {}
        for param in REGISTRY[key].params:
            value = (self.cleaned_data.get(param.kind) or "").strip()
            if value:
                params[param.name] = (
                    int(value) if param.kind == "task" and value.isdigit() else value
                )
        return params

    def indicator_fields(self) -> dict:
        """The cleaned Indicator fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields} | {
            "params": self.params()
        }
