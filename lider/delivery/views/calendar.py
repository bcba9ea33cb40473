"""The project's calendar of sessions, a trainer's own sessions and their calendar feed."""

import datetime
import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core.links import absolute_url
from lider.core.permissions import allows
from lider.delivery import services
from lider.delivery.models import CalendarToken
from lider.delivery.queries import (
    month_of,
    sessions_of_trainer,
)
from lider.delivery.views.common import permitted
from lider.projects.access import project_view

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _month(value: str, project) -> datetime.date | None:
    """The first day of the month asked for ("2010-03"; None if it is not a month of the
    years 1–9999), else of today's month within the project's period, else of the
    project's first month."""
    if value:
        match = MONTH.fullmatch(value)
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
        if not (datetime.MINYEAR <= year <= datetime.MAXYEAR and 1 <= month <= 12):
            return None
        return datetime.date(year, month, 1)
    today = timezone.localdate()
    if project.start_date <= today <= project.end_date:
        return today.replace(day=1)
    return project.start_date.replace(day=1)


def _shifted(first: datetime.date, months: int) -> datetime.date | None:
    """The first day of the month ``months`` away, None beyond the years 1–9999."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    return datetime.date(year, month + 1, 1)


@project_view("delivery.view")
def calendar(request, project):
    """The project's sessions of one month, by day; filter by county and task."""
    first = _month(request.GET.get("miesiac", ""), project)
    month_error = ""
    if first is None:
        # Shown above the current month's calendar, answered as a bad request.
        month_error = _("Give the month as year-month, e.g. 2010-03.")
        first = _month("", project)
    counties = list(project.counties.order_by("name"))
    tasks = list(project.tasks.all())
    county = next((c for c in counties if str(c.pk) == request.GET.get("powiat")), None)
    task = next((t for t in tasks if str(t.pk) == request.GET.get("zadanie")), None)
    sessions = list(month_of(project, year=first.year, month=first.month, county=county, task=task))
    # Trainers see as markable only the sessions they lead (the trainers are prefetched).
    mark_any = allows(request.project_roles, "delivery.mark_any_session")
    may_mark = allows(request.project_roles, "delivery.mark_attendance")
    markable = {
        s.pk
        for s in sessions
        if mark_any or (may_mark and any(t.pk == request.user.pk for t in s.trainers.all()))
    }
    previous = _shifted(first, -1)
    following = _shifted(first, +1)
    return render(
        request,
        "delivery/backoffice/calendar.html",
        {
            "project": project,
            "sessions": sessions,
            "markable": markable,
            "month": first,
            "previous": previous,
            "following": following,
            "counties": counties,
            "tasks": tasks,
            "county": county,
            "task": task,
            "can": permitted(request, "delivery.manage", "delivery.view_attendance"),
            "month_error": month_error,
        },
        status=400 if month_error else 200,
    )


@project_view("delivery.own_schedule")
def my_sessions(request, project):
    """The sessions the user leads in this project: today's and the coming ones first."""
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        absolute_url(reverse("delivery_public:trainer_feed", args=[token.token]), request)
        if token
        else None
    )
    return render(
        request,
        "delivery/backoffice/my_sessions.html",
        {
            "project": project,
            "sessions": sessions_of_trainer(
                request.user, project=project, today=timezone.localdate()
            ),
            "today": timezone.localdate(),
            "feed_url": feed_url,
        },
    )


@project_view("delivery.own_schedule")
@require_POST
def regenerate_feed(request, project):
    services.regenerate_calendar_token(request.user, actor=request.user)
    messages.success(
        request, _("Your calendar has a new address; the previous address no longer works.")
    )
    return redirect("delivery:mine", slug=project.slug)
