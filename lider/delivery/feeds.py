"""iCal feeds: a project's public sessions, and a trainer's own sessions behind a secret token."""

import datetime
import zoneinfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from icalendar import Calendar, Event

from lider.core.links import absolute_url
from lider.core.permissions import PERMISSIONS
from lider.delivery.models import CalendarToken, Session
from lider.projects.models import Membership, Project


def calendar_of(sessions, *, name: str, backoffice: bool, request=None) -> bytes:
    """An iCalendar (RFC 5545) document with one event per session, in Polish local time."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Lider//Harmonogram zajęć//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@lider")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.datetime.combine(session.date, session.start_time, zone))
        event.add("dtend", datetime.datetime.combine(session.date, session.end_time, zone))
        event.add("summary", session.title)
        event.add(
            "location", ", ".join(p for p in (session.venue.name, session.venue.address) if p)
        )
        event.add("description", "\n\n".join(p for p in (session.task.title, session.agenda) if p))
        if backoffice:
            path = reverse(
                "delivery:session", kwargs={"slug": session.task.project.slug, "pk": session.pk}
            )
            event.add("url", absolute_url(path, request))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def public_feed(request, slug):
    """Meetings, forums and conferences a public project announces."""
    project = get_object_or_404(Project.objects.public(), slug=slug)
    sessions = (
        Session.objects.public()
        .filter(task__project=project)
        .select_related("task__project", "venue")
        .order_by("date", "start_time", "pk")
    )
    return _response(
        calendar_of(sessions, name=project.title, backoffice=False), f"{project.slug}.ics"
    )


def trainer_feed(request, token):
    """A trainer's sessions in the projects where they still hold a role that shows them their
    own schedule; the token is the only key, so it is long. Without such a role anywhere (the
    role revoked, the account closed) the feed is gone."""
    found = CalendarToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    projects = Membership.objects.filter(
        user=found.user, role__in=PERMISSIONS["delivery.own_schedule"]
    ).values("project_id")
    if not projects.exists():
        raise Http404
    sessions = (
        Session.objects.filter(trainers=found.user, task__project__in=projects)
        .select_related("task__project", "venue")
        .order_by("date", "start_time", "pk")
    )
    name = found.user.get_full_name() or found.user.username
    return _response(
        calendar_of(sessions, name=name, backoffice=True, request=request), "zajecia.ics"
    )
