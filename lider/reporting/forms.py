import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


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
