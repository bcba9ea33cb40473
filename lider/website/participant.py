"""A participant's own pages: their projects, schedule, attendance, certificates and consents.

A participant sees only records reached through their own person (`Person.user`), never
anyone else's; there is no project-wide view for this role.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.certification import printing
from lider.certification.models import Certificate
from lider.core.permissions import Role
from lider.delivery.models import Enrolment
from lider.delivery.queries import attendance_shares, participant_sessions, share_percent
from lider.people import rectification, situations
from lider.people.forms import SituationsForm
from lider.people.models import Participant, Person, SituationSource
from lider.people.rectification_views import ProposalForm, add_errors
from lider.projects.models import Membership
from lider.recruitment.models import Consent
from lider.recruitment.services import withdraw_consent
from lider.website import rights, subject_access


def _person(user) -> Person | None:
    return Person.objects.filter(user=user).first()


@login_required
def after_login(request):
    """Staff go to their projects; a participant without a staff role goes to their account."""
    staff = Membership.objects.filter(user=request.user).exclude(role=Role.PARTICIPANT)
    if staff.exists() or _person(request.user) is None:
        return redirect("projects:list")
    return redirect("website:account")


def _situations_form(participant, data=None):
    """The participant's own answer about their situation after the project, once it ended."""
    if participant.end_date is None:
        return None
    due = situations.later_due_on(participant) <= timezone.localdate()
    initial = {
        "exit_situation": participant.exit_situation,
        "later_situation": participant.later_situation,
    }
    return SituationsForm(data, initial=initial, later=due)


@login_required
def account(request, forms=None, correction_form=None):
    person = _person(request.user)
    if person is None:
        return render(request, "website/participant/no_person.html")
    forms = forms or {}
    participations = []
    for participant in Participant.objects.filter(person=person).select_related("project"):
        tasks = []
        enrolments = Enrolment.objects.filter(participant=participant).select_related(
            "task", "group"
        )
        for enrolment in enrolments:
            share = attendance_shares(enrolment.task).filter(pk=participant.pk).first()
            tasks.append(
                {
                    "enrolment": enrolment,
                    "share": share_percent(share.share) if share else None,
                    "hours": share,
                    "sessions": participant_sessions(enrolment.task, participant),
                }
            )
        participations.append(
            {
                "participant": participant,
                "tasks": tasks,
                "certificates": Certificate.objects.filter(participant=participant).select_related(
                    "task"
                ),
                "consents": Consent.objects.filter(
                    application__person=person, application__project=participant.project
                ).select_related("text"),
                "situations_form": forms.get(participant.pk) or _situations_form(participant),
            }
        )
    corrections = list(person.corrections.all())
    return render(
        request,
        "website/participant/account.html",
        {
            "person": person,
            "participations": participations,
            "corrections": corrections,
            "pending": any(c.is_pending for c in corrections),
            "correction_form": correction_form or ProposalForm(person=person),
        },
        status=400 if forms or correction_form else 200,
    )


@login_required
@require_POST
def situations_answer(request, pk):
    """The participant's own answer about their situation when leaving and four weeks after."""
    person = _person(request.user)
    if person is None:
        raise Http404
    participant = get_object_or_404(Participant, pk=pk, person=person, end_date__isnull=False)
    form = _situations_form(participant, request.POST)
    if situations.record_from_form(
        participant, form, source=SituationSource.PARTICIPANT, actor=request.user
    ):
        messages.success(request, _("Thank you: your answer has been recorded."))
        return redirect("website:account")
    return account(request, forms={participant.pk: form})


@login_required
@require_POST
def propose_correction(request):
    """The participant proposes a correction of their own data (art. 16); the office decides.

    The person is always the one linked to the logged-in account: nothing in the request
    names a person."""
    person = _person(request.user)
    if person is None:
        raise Http404
    form = ProposalForm(request.POST, person=person)
    if form.is_valid():
        try:
            rectification.propose(
                person, form.values(), actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your correction has been sent to the office."))
            return redirect("website:account")
    return account(request, correction_form=form)


@login_required
def my_data(request, fmt):
    """The participant's own copy of everything Lider holds about them (GDPR art. 15)."""
    person = _person(request.user)
    if person is None or fmt not in rights.FORMATS:
        raise Http404
    data = subject_access.collect(person)
    return rights.download(person, data, fmt=fmt, lang=request.LANGUAGE_CODE, actor=request.user)


@login_required
def certificate_pdf(request, pk):
    person = _person(request.user)
    if person is None:
        raise Http404
    certificate = get_object_or_404(Certificate, pk=pk, participant__person=person)
    pdf = printing.render([certificate], lang=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = certificate.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def consent_withdraw(request, pk):
    """A page that says what withdrawing the consent means; the POST from it withdraws."""
    person = _person(request.user)
    if person is None:
        raise Http404
    consent = get_object_or_404(
        Consent.objects.select_related("application__project", "text"),
        pk=pk,
        application__person=person,
        withdrawn_at__isnull=True,
    )
    if request.method == "POST":
        withdraw_consent(consent, actor=request.user)
        messages.success(request, _("Your consent has been withdrawn."))
        return redirect("website:account")
    return render(request, "website/participant/consent_withdraw.html", {"consent": consent})
