"""Sessions: creating and editing them (one or a series), venues and groups, the session page
and the places booked in it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lider.core import pickers
from lider.delivery import places, services
from lider.delivery.forms import (
    BookingForm,
    GroupForm,
    SeriesForm,
    SessionForm,
    SignedListForm,
    VenueForm,
)
from lider.delivery.models import Attendance, SessionBooking
from lider.delivery.queries import (
    full_name,
    sheet_counts,
    sheet_pages,
)
from lider.delivery.views.common import (
    may_mark,
    not_your_session,
    permitted,
    session_or_404,
)
from lider.projects.access import project_view


def _refused(form, error) -> None:
    """Show the service's refusal on the form; an overlap can be confirmed by sending again."""
    if services.is_overlap(error):
        form.ask_to_confirm_overlap()
    form.add_error(None, error)


@project_view("delivery.manage")
def session_create(request, project):
    form = SessionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                form.cleaned_data["task"],
                actor=request.user,
                trainers=form.cleaned_data["trainers"],
                allow_overlap=form.cleaned_data["confirm_overlap"],
                **form.session_fields(),
            )
        except ValidationError as error:
            _refused(form, error)
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
                allow_overlap=form.cleaned_data["confirm_overlap"],
                **fields,
            )
        except ValidationError as error:
            _refused(form, error)
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
                + f"?miesiac={first.isoformat()[:7]}"
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
    session = session_or_404(project, pk)
    form = SessionForm(request.POST or None, instance=session, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.session_fields()
            fields["task"] = form.cleaned_data["task"]
            services.update_session(
                session,
                actor=request.user,
                trainers=form.cleaned_data["trainers"],
                allow_overlap=form.cleaned_data["confirm_overlap"],
                **fields,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("delivery:session", slug=project.slug, pk=session.pk)
    return render(
        request,
        "delivery/backoffice/session_form.html",
        {"project": project, "form": form, "title": _("Edit the session"), "session": session},
    )


ROWS_PER_PAGE = 50


def _session_page(request, project, session, *, booking_form=None):
    """A session with one page of its list: the same queries for 25 people as for 2,500."""
    can = permitted(
        request,
        "delivery.mark_attendance",
        "delivery.manage",
        "delivery.view_evidence",
    )
    # A trainer sees the list of another trainer's session, but cannot mark it.
    refused = can["mark_attendance"] and not may_mark(request, session)
    can["mark_attendance"] = can["mark_attendance"] and not refused
    bookings = (
        SessionBooking.objects.filter(session=session)
        .exclude(status=SessionBooking.Status.BOOKED)
        .select_related("participant__person", "participant__institution")
        if can["manage"]
        else SessionBooking.objects.none()
    )
    counts = sheet_counts(session)
    paginator = Paginator(sheet_pages(session, total=counts["total"]), ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    if can["manage"] and booking_form is None:
        booking_form = BookingForm(project=project)
    return render(
        request,
        "delivery/backoffice/session.html",
        {
            "project": project,
            "session": session,
            "session_hours": session.hours_in(project.hours_unit),
            "trainers": list(session.trainers.all()),
            "rows": list(page),
            "page": page,
            "counts": counts,
            "statuses": Attendance.Status.choices,
            "bookings": bookings,
            "booking_form": booking_form if can["manage"] else None,
            "upload_form": SignedListForm() if can["manage"] else None,
            "can": can,
            "refused": not_your_session(session) if refused else "",
        },
    )


@project_view("delivery.view_attendance")
def session_detail(request, project, pk):
    """A session with its list: one page for a trainer's phone to mark attendance on."""
    return _session_page(request, project, session_or_404(project, pk))


@project_view("delivery.manage")
@require_POST
def book(request, project, pk):
    session = session_or_404(project, pk)
    form = BookingForm(request.POST, project=project)
    if pickers.filtering(request):
        return _session_page(request, project, session, booking_form=pickers.without_errors(form))
    if form.is_valid():
        try:
            booking = places.book_session(
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
    places.cancel_booking(booking, actor=request.user)
    messages.success(request, _("The booking has been cancelled."))
    return redirect("delivery:session", slug=project.slug, pk=pk)
