"""Result data after a participant leaves: the situation when leaving the project, and four
weeks after (SL2014 / CST2021 "sytuacja osoby w momencie zakończenia udziału w projekcie").

The office enters either on the person's page; the participant gives them in their own account
(/konto/), and is reminded by e-mail once ``LATER_WEEKS`` have passed since their path ended
(:func:`send_later_reminders`, run daily by ``lider worker`` through
:mod:`lider.people.tasks`, queued by ``lider send_later_reminders``), with a signed link to a
public form (:func:`token_for`) that answers for that one participant only and expires after
``LINK_DAYS``. Every change is audited; a reminder is sent once and its time recorded.
"""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.links import absolute_url
from lider.people import recipients
from lider.people.models import LATER_WEEKS, Participant, Situation, SituationSource
from lider.projects.models import ProjectState

SALT = "lider.people.later-situation"
LINK_DAYS = 30
LATER = datetime.timedelta(weeks=LATER_WEEKS)


def later_due_on(participant: Participant) -> datetime.date | None:
    """The day from which the participant is asked about their situation four weeks after."""
    return participant.end_date + LATER if participant.end_date else None


def _archived() -> ValidationError:
    return ValidationError(
        _("This project is archived: its records can no longer be changed."), code="archived"
    )


def _check(situation: str, participant: Participant, *, later: bool, today) -> None:
    if participant.project.state == ProjectState.ARCHIVED:
        raise _archived()
    if situation not in Situation.values:
        raise ValidationError(_("Choose the situation from the list."), code="situation")
    if participant.end_date is None:
        raise ValidationError(
            _("The participant's path has not ended yet: there is no situation at exit."),
            code="not_ended",
        )
    if later and later_due_on(participant) > today:
        raise ValidationError(
            _("The situation four weeks after leaving can be recorded from %(date)s."),
            code="too_early",
            params={"date": f"{later_due_on(participant):%d.%m.%Y}"},
        )


def record_situations(
    participant: Participant,
    *,
    exit_situation: str | None = None,
    later_situation: str | None = None,
    source: str,
    actor,
    today: datetime.date | None = None,
    note="",
) -> Participant:
    """Store the situation when leaving and/or four weeks after (None: leave it as it is),
    with who gave it (``SituationSource``); one audit entry for what changed."""
    today = today or timezone.localdate()
    if source not in SituationSource.values or not source:
        raise ValueError(f"unknown source {source!r}")
    fields = []
    if exit_situation is not None:
        _check(exit_situation, participant, later=False, today=today)
        fields += ["exit_situation", "exit_situation_source"]
    if later_situation is not None:
        _check(later_situation, participant, later=True, today=today)
        fields += ["later_situation", "later_situation_source", "later_answered_at"]
    if not fields:
        return participant
    with transaction.atomic(), audit.tracking(participant, actor=actor, fields=fields, note=note):
        if exit_situation is not None:
            participant.exit_situation = exit_situation
            participant.exit_situation_source = source
        if later_situation is not None:
            if later_situation != participant.later_situation:
                participant.later_answered_at = timezone.now()
            participant.later_situation = later_situation
            participant.later_situation_source = source
        participant.save(update_fields=fields)
    return participant


def record_from_form(participant: Participant, form, *, source: str, actor) -> bool:
    """Record what a bound ``SituationsForm`` holds (an empty choice leaves the value as it
    is): True when recorded; False with the errors on the form (its own, or the rule's as a
    form error)."""
    if not form.is_valid():
        return False
    try:
        record_situations(
            participant,
            exit_situation=form.cleaned_data["exit_situation"] or None,
            later_situation=form.cleaned_data.get("later_situation") or None,
            source=source,
            actor=actor,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def later_due(project, today: datetime.date):
    """Whom to ask about their situation four weeks after leaving, and from when: the
    project's people whose path ended at least four weeks ago and who have no answer yet,
    earliest first (one query)."""
    return (
        Participant.objects.filter(
            project=project,
            person__isnull=False,
            end_date__lte=today - LATER,
            later_situation="",
        )
        .select_related("person")
        .order_by("end_date", "person__last_name", "person__first_name", "pk")
    )


# The signed link


def token_for(participant: Participant) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(participant.pk))


def participant_from_token(token: str) -> Participant:
    """The participant a link was made for; ValidationError (its code says why) otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token[:200], max_age=datetime.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."), code="invalid") from None
    participant = (
        Participant.objects.select_related("project", "person")
        .filter(pk=int(value) if value.isdigit() else 0, person__isnull=False)
        .first()
    )
    if participant is None or participant.end_date is None:
        raise ValidationError(_("This link is not valid."), code="invalid")
    if participant.project.state == ProjectState.ARCHIVED:
        raise _archived()
    return participant


def link_for(participant: Participant) -> str:
    return absolute_url(reverse("people_public:later", args=[token_for(participant)]))


def answer_by_link(participant: Participant, *, situation: str, today=None) -> Participant:
    """The participant's answer through the e-mailed link (no account: no actor)."""
    return record_situations(
        participant,
        later_situation=situation,
        source=SituationSource.PARTICIPANT,
        actor=None,
        today=today,
        note=gettext_lazy("given by the participant through the e-mailed link"),
    )


# Reminders


def _send_reminder(participant: Participant) -> None:
    """In the participant's language, with the link to the form in that language."""
    with translation.override(recipients.language_for(participant)):
        context = {
            "participant": participant,
            "person": participant.person,
            "project": participant.project,
            "link": link_for(participant),
            "days": LINK_DAYS,
        }
        subject = render_to_string("people/email/later_subject.txt", context).strip()
        body = render_to_string("people/email/later.txt", context)
    send_mail(subject, body, None, [participant.person.email])


def reminders_due(today: datetime.date, project=None):
    """The participants to remind: due, never reminded, with an e-mail address, not
    restricted (art. 18: no e-mails), in a project not archived."""
    due = (
        Participant.objects.filter(
            person__isnull=False,
            end_date__lte=today - LATER,
            later_situation="",
            later_reminder_sent_at__isnull=True,
            person__restriction__isnull=True,
        )
        .exclude(person__email="")
        .exclude(project__state=ProjectState.ARCHIVED)
    )
    if project is not None:
        due = due.filter(project=project)
    return due.order_by("pk")


def send_later_reminders(
    today: datetime.date | None = None, *, project=None, dry_run: bool = False
) -> int:
    """E-mail each participant due a reminder once, and record when; run again, it sends
    nothing new. Returns how many were (or, with ``dry_run``, would be) sent."""
    today = today or timezone.localdate()
    ids = list(reminders_due(today, project).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    sent = 0
    for pk in ids:
        with transaction.atomic():
            participant = (
                reminders_due(today)
                .select_for_update(of=("self",))
                .select_related("person", "project")
                .filter(pk=pk)
                .first()
            )
            if participant is None:  # answered or reminded meanwhile
                continue
            participant.later_reminder_sent_at = timezone.now()
            participant.save(update_fields=["later_reminder_sent_at"])
            audit.record(
                None,
                audit.Action.UPDATE,
                participant,
                changes={
                    "later_reminder_sent_at": [None, participant.later_reminder_sent_at.isoformat()]
                },
                note=gettext_lazy("reminder about the situation four weeks after sent"),
            )
            # Sent inside the transaction: a failed send leaves no "sent" record, and the next
            # run tries again.
            _send_reminder(participant)
        sent += 1
    return sent
