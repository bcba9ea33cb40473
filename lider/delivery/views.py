"""Back-office pages of delivery: the calendar, a session's list and attendance, tasks' figures."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lider.core import audit
from lider.core.documents import AttendanceListData, render_attendance_list
from lider.core.permissions import allows
from lider.delivery import services
from lider.delivery.forms import (
    BookingForm,
    EnrolForm,
    EnrolmentStatusForm,
    GroupForm,
    MarkForm,
    SeriesForm,
    SessionForm,
    SignedListForm,
    VenueForm,
)
from lider.delivery.models import Attendance, CalendarToken, Enrolment, Session, SessionBooking
from lider.delivery.queries import (
    attendance_shares,
    attendance_sheet,
    full_name,
    may_mark_attendance,
    month_of,
    participant_sessions,
    roster,
    sessions_of_trainer,
    share_percent,
)
from lider.people.models import Participant
from lider.projects.access import project_view
from lider.projects.models import Task


def _can(request, *names) -> dict:
    return {name.split(".")[1]: allows(request.project_roles, name) for name in names}


def _may_mark(request, session) -> bool:
    return may_mark_attendance(session, request.user, roles=request.project_roles)


def _refused(request, project, session):
    """The 403 page of a trainer who tried to mark attendance at a session they do not lead."""
    return render(
        request,
        "delivery/backoffice/refused.html",
        {"project": project, "session": session, "message": services.NOT_YOUR_SESSION},
        status=403,
    )


def _session(project, pk):
    return get_object_or_404(
        Session.objects.select_related("task", "group__county", "venue__gmina__parent"),
        pk=pk,
        task__project=project,
    )


def _month(value: str | None, project) -> datetime.date:
    """The first day of the month asked for ("2010-03"), else of today's month within the
    project's period, else of the project's first month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        pass
    today = timezone.localdate()
    if project.start_date <= today <= project.end_date:
        return today.replace(day=1)
    return project.start_date.replace(day=1)


@project_view("delivery.view")
def calendar(request, project):
    """The project's sessions of one month, by day; filter by county and task."""
    first = _month(request.GET.get("miesiac"), project)
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
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
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
            "can": _can(request, "delivery.manage", "delivery.view_attendance"),
        },
    )


@project_view("delivery.own_schedule")
def my_sessions(request, project):
    """The sessions the user leads in this project: today's and the coming ones first."""
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("delivery_public:trainer_feed", args=[token.token]))
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


@project_view("delivery.manage")
def session_create(request, project):
    form = SessionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                form.cleaned_data["task"],
                actor=request.user,
                trainers=form.cleaned_data["trainers"],
                **form.session_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("delivery:session", slug=project.slug, pk=session.pk)
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("New session")},
    )


@project_view("delivery.manage")
def series_create(request, project):
    form = SeriesForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        try:
            sessions = services.create_session_series(
                form.cleaned_data["task"],
                actor=request.user,
                first_date=fields.pop("date"),
                count=form.cleaned_data["count"],
                every_days=form.cleaned_data["every_days"],
                trainers=form.cleaned_data["trainers"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s session has been saved.",
                    "%(count)s sessions have been saved.",
                    len(sessions),
                )
                % {"count": len(sessions)},
            )
            first = sessions[0].date
            return redirect(
                reverse("delivery:calendar", kwargs={"slug": project.slug})
                + f"?miesiac={first:%Y-%m}"
            )
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("New series of sessions")},
    )


@project_view("delivery.manage")
def venue_create(request, project):
    form = VenueForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        services.create_venue(project, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The venue has been saved."))
        return redirect("delivery:create", slug=project.slug)
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("New venue")},
    )


@project_view("delivery.manage")
def group_create(request, project):
    form = GroupForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        task = fields.pop("task")
        services.create_group(task, actor=request.user, **fields)
        messages.success(request, _("The group has been saved."))
        return redirect("delivery:task", slug=project.slug, task=task.pk)
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("New group")},
    )


@project_view("delivery.manage")
def session_edit(request, project, pk):
    session = _session(project, pk)
    form = SessionForm(request.POST or None, instance=session, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.session_fields()
            fields["task"] = form.cleaned_data["task"]
            services.update_session(
                session, actor=request.user, trainers=form.cleaned_data["trainers"], **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("delivery:session", slug=project.slug, pk=session.pk)
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("Edit the session"), "session": session},
    )


@project_view("delivery.view_attendance")
def session_detail(request, project, pk):
    """A session with its list: one page for a trainer's phone to mark attendance on."""
    session = _session(project, pk)
    can = _can(
        request,
        "delivery.mark_attendance",
        "delivery.manage",
        "delivery.view_evidence",
    )
    # A trainer sees the list of another trainer's session, but cannot mark it.
    refused = can["mark_attendance"] and not _may_mark(request, session)
    can["mark_attendance"] = can["mark_attendance"] and not refused
    bookings = (
        SessionBooking.objects.filter(session=session)
        .exclude(status=SessionBooking.Status.BOOKED)
        .select_related("participant__person", "participant__institution")
        if can["manage"]
        else SessionBooking.objects.none()
    )
    rows = list(attendance_sheet(session))
    return render(
        request,
        "delivery/backoffice/session.html",
        {
            "project": project,
            "session": session,
            "trainers": list(session.trainers.all()),
            "rows": rows,
            "counts": _counts(rows),
            "statuses": Attendance.Status.choices,
            "bookings": bookings,
            "booking_form": BookingForm(project=project) if can["manage"] else None,
            "upload_form": SignedListForm() if can["manage"] else None,
            "can": can,
            "refused": services.NOT_YOUR_SESSION if refused else "",
        },
    )


def _counts(rows) -> dict:
    counts = dict.fromkeys(Attendance.Status.values, 0)
    unmarked = 0
    for row in rows:
        if row.mark:
            counts[row.mark] += 1
        else:
            unmarked += 1
    return {"by_status": counts, "unmarked": unmarked, "total": len(rows)}


@project_view("delivery.mark_attendance")
@require_POST
def mark(request, project, pk, participant):
    """Set one person's attendance: an HTMX request gets the row back, a plain form a redirect."""
    session = _session(project, pk)
    person = get_object_or_404(Participant, pk=participant, project=project)
    if not _may_mark(request, session):
        if not request.headers.get("HX-Request"):
            return _refused(request, project, session)
        row = attendance_sheet(session).filter(pk=person.pk).first()
        if row is None:
            raise Http404
        return render(
            request,
            "delivery/backoffice/session.html#row",
            {
                "project": project,
                "session": session,
                "row": row,
                "statuses": Attendance.Status.choices,
                "can": {"mark_attendance": False},
                "error": services.NOT_YOUR_SESSION,
            },
            status=403,
        )
    form = MarkForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.mark_attendance(
                session, participant=person, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = _("Unknown attendance status.")
    if request.headers.get("HX-Request"):
        row = attendance_sheet(session).filter(pk=person.pk).first()
        if row is None:
            raise Http404
        return render(
            request,
            "delivery/backoffice/session.html#row",
            {
                "project": project,
                "session": session,
                "row": row,
                "statuses": Attendance.Status.choices,
                "can": {"mark_attendance": True},
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    url = reverse("delivery:session", kwargs={"slug": project.slug, "pk": session.pk})
    return redirect(f"{url}#p{person.pk}")


@project_view("delivery.mark_attendance")
@require_POST
def mark_all_present(request, project, pk):
    session = _session(project, pk)
    if not _may_mark(request, session):
        return _refused(request, project, session)
    count = services.mark_all_present(session, actor=request.user)
    messages.success(request, _("Marked as present: %(count)s.") % {"count": count})
    return redirect("delivery:session", slug=project.slug, pk=session.pk)


@project_view("delivery.view_attendance")
def attendance_list_pdf(request, project, pk):
    """The printable list for signatures, pre-filled with everyone on the session's list."""
    session = _session(project, pk)
    trainers = ", ".join(u.get_full_name() or u.username for u in session.trainers.all())
    url = reverse("delivery:session", kwargs={"slug": project.slug, "pk": session.pk})
    data = AttendanceListData(
        cofinancing=project.cofinancing_statement,
        project_title=project.title,
        project_number=project.number,
        session_title=session.title,
        date=session.date,
        start=session.start_time,
        end=session.end_time,
        venue=session.venue.name,
        address=session.venue.address,
        trainer=trainers,
        session_url=settings.SITE_URL.rstrip("/") + url,
        participants=[full_name(p) for p in roster(session)],
        blank_rows=3,
    )
    pdf = render_attendance_list(data, lang=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="lista-obecnosci-{session.date:%Y-%m-%d}-{session.pk}.pdf"'
    )
    return response


@project_view("delivery.manage")
@require_POST
def upload_signed_list(request, project, pk):
    session = _session(project, pk)
    form = SignedListForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_signed_list(
                session, upload=form.cleaned_data["scan"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The signed list has been saved."))
    else:
        messages.error(request, _("Choose the file with the scan of the signed list."))
    return redirect("delivery:session", slug=project.slug, pk=session.pk)


@project_view("delivery.view_evidence")
def signed_list(request, project, pk):
    """The signed scan, for staff and auditors; each download is recorded."""
    session = _session(project, pk)
    if not session.signed_list:
        raise Http404
    handle = session.signed_list.open("rb")
    kind = services.file_type(handle.read(16))
    handle.seek(0)
    extension, content_type = kind or ("bin", "application/octet-stream")
    audit.record(
        request.user,
        audit.Action.EXPORT,
        session,
        note=_("signed attendance list downloaded"),
    )
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=False,
        filename=f"lista-podpisana-{session.date:%Y-%m-%d}-{session.pk}.{extension}",
    )


@project_view("delivery.manage")
@require_POST
def book(request, project, pk):
    session = _session(project, pk)
    form = BookingForm(request.POST, project=project)
    if form.is_valid():
        try:
            booking = services.book_session(
                session, participant=form.cleaned_data["participant"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": full_name(booking.participant), "status": booking.get_status_display()},
            )
    else:
        messages.error(request, _("Choose a participant of the project."))
    return redirect("delivery:session", slug=project.slug, pk=session.pk)


@project_view("delivery.manage")
@require_POST
def cancel_booking(request, project, pk, booking):
    booking = get_object_or_404(
        SessionBooking, pk=booking, session_id=pk, session__task__project=project
    )
    services.cancel_booking(booking, actor=request.user)
    messages.success(request, _("The booking has been cancelled."))
    return redirect("delivery:session", slug=project.slug, pk=pk)


@project_view("delivery.view_attendance")
def task_detail(request, project, task):
    """A task's groups, enrolments and each participant's share of attended hours."""
    task = get_object_or_404(Task, pk=task, project=project)
    groups = {g.pk: g for g in task.groups.select_related("county")}
    can = _can(request, "delivery.manage")
    labels = dict(Enrolment.Status.choices)
    rows = list(attendance_shares(task))
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
            "rows": rows,
            "first_date": first_date,
            "status_choices": Enrolment.Status.choices,
            "enrol_form": EnrolForm(task=task) if can["manage"] else None,
            "status_form": EnrolmentStatusForm() if can["manage"] else None,
            "can": can,
        },
    )


@project_view("delivery.manage")
@require_POST
def enrol(request, project, task):
    task = get_object_or_404(Task, pk=task, project=project)
    form = EnrolForm(request.POST, task=task)
    if form.is_valid():
        try:
            enrolment = services.enrol(
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
            services.change_enrolment_status(
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
