"""A task's enrolments and each participant's share of attended hours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core import pickers
from lider.delivery import places
from lider.delivery.forms import (
    EnrolForm,
    EnrolmentStatusForm,
)
from lider.delivery.models import Attendance, Enrolment
from lider.delivery.queries import (
    attendance_shares,
    full_name,
    participant_sessions,
    share_percent,
    shares_pages,
)
from lider.delivery.views.common import permitted
from lider.projects.access import project_view
from lider.projects.models import Task

ROWS_PER_PAGE = 50


@project_view("delivery.view_attendance")
def task_detail(request, project, task):
    """A task's groups, enrolments and each participant's share of attended hours."""
    return _task_page(request, project, get_object_or_404(Task, pk=task, project=project))


def _task_page(request, project, task, *, enrol_form=None):
    groups = {
        g.pk: g for g in task.groups.select_related("county").order_by("county__name", "name")
    }
    group = next((g for pk, g in groups.items() if str(pk) == request.GET.get("grupa")), None)
    can = permitted(request, "delivery.manage")
    labels = dict(Enrolment.Status.choices)
    page = Paginator(shares_pages(task, group=group), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page)
    for row in rows:
        row.percent = share_percent(row.share)
        row.enrolment_label = labels.get(row.enrolment_status, "")
    first_date = task.sessions.order_by("date").values_list("date", flat=True).first()
    return render(
        request,
        "delivery/backoffice/task.html",
        {
            "project": project,
            "task": task,
            "groups": groups,
            "group": group,
            "rows": rows,
            "page": page,
            "first_date": first_date,
            "status_choices": Enrolment.Status.choices,
            "enrol_form": (enrol_form or EnrolForm(task=task)) if can["manage"] else None,
            "status_form": EnrolmentStatusForm() if can["manage"] else None,
            "can": can,
        },
    )


@project_view("delivery.manage")
@require_POST
def enrol(request, project, task):
    task = get_object_or_404(Task, pk=task, project=project)
    form = EnrolForm(request.POST, task=task)
    if pickers.filtering(request):
        return _task_page(request, project, task, enrol_form=pickers.without_errors(form))
    if form.is_valid():
        try:
            enrolment = places.enrol(
                task,
                participant=form.cleaned_data["participant"],
                group=form.cleaned_data["group"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {
                    "name": full_name(enrolment.participant),
                    "status": enrolment.get_status_display(),
                },
            )
    else:
        messages.error(request, _("Choose a participant of the project."))
    return redirect("delivery:task", slug=project.slug, task=task.pk)


@project_view("delivery.manage")
@require_POST
def enrolment_status(request, project, task, enrolment):
    enrolment = get_object_or_404(Enrolment, pk=enrolment, task_id=task, task__project=project)
    form = EnrolmentStatusForm(request.POST)
    if form.is_valid():
        try:
            places.change_enrolment_status(
                enrolment,
                status=form.cleaned_data["status"],
                actor=request.user,
                dropped_on=form.cleaned_data["dropped_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("delivery:task", slug=project.slug, task=task)


@project_view("delivery.view_attendance")
def participant_in_task(request, project, task, participant):
    """One participant's sessions of a task, their marks and their share of hours."""
    task = get_object_or_404(Task, pk=task, project=project)
    row = get_object_or_404(attendance_shares(task), pk=participant, project=project)
    return render(
        request,
        "delivery/backoffice/participant.html",
        {
            "project": project,
            "task": task,
            "row": row,
            "percent": share_percent(row.share),
            "sessions": participant_sessions(task, row),
            "statuses": dict(Attendance.Status.choices),
        },
    )
