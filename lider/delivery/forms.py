import datetime

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lider.core.collation import polish
from lider.core.permissions import Role
from lider.core.pickers import SearchableModelChoiceField
from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue
from lider.people.models import Participant
from lider.people.queries import participants_matching
from lider.projects.models import Task
from lider.territory.models import Unit

SESSION_FIELDS = [
    "task",
    "group",
    "title",
    "agenda",
    "start_time",
    "end_time",
    "venue",
    "trainers",
    "capacity",
    "is_public",
]


class ParticipantChoiceField(SearchableModelChoiceField):
    """One participant of the project, found by name: never a list of all of them."""

    def __init__(self, *, project, exclude=None, **kwargs):
        choosable = Participant.objects.filter(project=project).select_related(
            "person", "institution"
        )
        if exclude is not None:
            choosable = choosable.exclude(exclude)
        super().__init__(
            choosable,
            search=lambda text: participants_matching(project, text, exclude=exclude),
            label=_("participant"),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return str(obj.subject)


def trainers_choosable(project, *, session=None):
    """Who may be chosen to lead a session: the project's trainers and advisors, and whoever
    already leads this session (so that saving it keeps them even after their role ended)."""
    condition = Q(memberships__project=project, memberships__role=Role.TRAINER)
    if session is not None and session.pk:
        condition |= Q(delivered_sessions=session)
    pks = User.objects.filter(condition).values("pk")
    return User.objects.filter(pk__in=pks).order_by(
        polish("last_name"), polish("first_name"), "username"
    )


class SessionForm(forms.ModelForm):
    """One session; the choices are limited to the project's tasks, groups, venues, trainers.

    ``confirm_overlap`` stays hidden until the service refuses an overlap; then the view calls
    ``ask_to_confirm_overlap`` and the coordinator sees a checkbox to save anyway."""

    confirm_overlap = forms.BooleanField(
        label=_("Save anyway: I know that these sessions overlap."),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Session
        fields = ["date", *SESSION_FIELDS]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(project=project)
        self.fields["group"].queryset = Group.objects.filter(task__project=project).select_related(
            "task"
        )
        self.fields["venue"].queryset = Venue.objects.filter(project=project)
        # The widget is set before the queryset: setting the queryset hands its choices to the
        # widget there is at that moment (a widget set afterwards rendered no choice at all).
        trainers = self.fields["trainers"]
        trainers.widget = forms.CheckboxSelectMultiple()
        trainers.queryset = trainers_choosable(project, session=self.instance)
        trainers.label_from_instance = lambda u: u.get_full_name() or u.username
        trainers.help_text = _("People with the trainer or advisor role in the project.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A session must end after it starts."))
        group, task = cleaned.get("group"), cleaned.get("task")
        if group and task and group.task_id != task.pk:
            self.add_error("group", _("The group belongs to another task."))
        return cleaned

    def ask_to_confirm_overlap(self) -> None:
        self.fields["confirm_overlap"].widget = forms.CheckboxInput()

    def session_fields(self) -> dict:
        """The cleaned Session fields, for the service (trainers apart)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in {"trainers", "task"}
        }


class SeriesForm(SessionForm):
    count = forms.IntegerField(label=_("number of sessions"), min_value=1, max_value=100)
    every_days = forms.IntegerField(
        label=_("every how many days"),
        min_value=1,
        max_value=60,
        initial=7,
        help_text=_("7: the same weekday every week."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("date of the first session")

    def clean(self):
        cleaned = super().clean()
        first, count, every = cleaned.get("date"), cleaned.get("count"), cleaned.get("every_days")
        if first and count and every:
            days_left = (datetime.date.max - first).days
            if every * (count - 1) > days_left:
                self.add_error("count", _("The series would end after the last date there is."))
        return cleaned


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=Attendance.Status.choices)


class SignedListForm(forms.Form):
    scan = forms.FileField(
        label=_("scan of the signed list"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class BookingForm(forms.Form):
    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"] = ParticipantChoiceField(project=project)


class EnrolForm(forms.Form):
    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"] = ParticipantChoiceField(
            project=task.project_id, exclude=Q(enrolments__task=task)
        )
        self.fields["group"] = forms.ModelChoiceField(
            label=_("group"),
            queryset=Group.objects.filter(task=task).select_related("county"),
            required=False,
        )


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Enrolment.Status.choices)
    dropped_on = forms.DateField(
        label=_("dropped out on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("reason for dropping out"), required=False, max_length=300)


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "street", "postal_code", "city", "gmina"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gmina"].queryset = Unit.objects.filter(
            level=Unit.Level.GMINA, parent__in=project.counties.all()
        ).order_by("name", "gmina_type")


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["task", "name", "county", "capacity"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(project=project)
        self.fields["county"].queryset = project.counties.order_by("name")
