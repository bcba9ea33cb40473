"""Attendance at a session: marking it (one tap per person), the printable list, the signed scan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lider.core import audit
from lider.core.documents import AttendanceListData, render_attendance_list
from lider.core.links import absolute_url
from lider.core.shortening import shorten
from lider.delivery import services
from lider.delivery.forms import (
    MarkForm,
    SignedListForm,
)
from lider.delivery.models import Attendance
from lider.delivery.queries import (
    attendance_sheet,
    full_name,
    roster,
    sheet_counts,
)
from lider.delivery.views.common import (
    may_mark,
    not_your_session,
    refuse,
    session_or_404,
)
from lider.people.models import Participant
from lider.projects.access import project_view
from lider.projects.logos import document_logos, printed_marks

# The longest trainer list, form of support or group name printed in a list's header.
HEADER_TEXT = 200


@project_view("delivery.mark_attendance")
@require_POST
def mark(request, project, pk, participant):
    """Set one person's attendance: an HTMX request gets the row back, a plain form a redirect."""
    session = session_or_404(project, pk)
    person = get_object_or_404(Participant, pk=participant, project=project)
    if not may_mark(request, session):
        if not request.headers.get("HX-Request"):
            refuse(session)
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
                "error": not_your_session(session),
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
        # The row, and the summary above the list swapped out of band: one response.
        row = attendance_sheet(session).filter(pk=person.pk).first()
        if row is None:
            raise Http404
        return render(
            request,
            "delivery/backoffice/session.html#marked",
            {
                "project": project,
                "session": session,
                "row": row,
                "counts": sheet_counts(session),
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
    session = session_or_404(project, pk)
    if not may_mark(request, session):
        refuse(session)
    count = services.mark_all_present(session, actor=request.user)
    messages.success(request, _("Marked as present: %(count)s.") % {"count": count})
    return redirect("delivery:session", slug=project.slug, pk=session.pk)


@project_view("delivery.view_attendance")
def attendance_list_pdf(request, project, pk):
    """The printable list for signatures, pre-filled with everyone on the session's list."""
    session = session_or_404(project, pk)
    trainers = ", ".join(u.get_full_name() or u.username for u in session.trainers.all())
    task = session.task
    url = reverse("delivery:session", kwargs={"slug": project.slug, "pk": session.pk})
    rows = list(roster(session))
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
        # Header texts stay a line or two long whatever was typed (the whole text is one
        # click away on the session's page).
        trainer=shorten(trainers, HEADER_TEXT),
        support=shorten(f"{task.get_kind_display()}: {task.title}", HEADER_TEXT),
        group=shorten(session.group.name, HEADER_TEXT) if session.group_id else "",
        session_url=absolute_url(url),
        participants=[full_name(p) for p in rows],
        restricted=frozenset(i for i, p in enumerate(rows) if p.restricted),
        blank_rows=3,
        logos=document_logos(printed_marks(project)),
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
    session = session_or_404(project, pk)
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
    session = session_or_404(project, pk)
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
        note=gettext_lazy("signed attendance list downloaded"),
    )
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=False,
        filename=f"lista-podpisana-{session.date:%Y-%m-%d}-{session.pk}.{extension}",
    )
