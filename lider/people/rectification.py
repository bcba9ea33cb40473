"""Rectification (GDPR art. 16): a participant proposes, the office accepts or rejects.

The office corrects a person's data itself through `services.update_person` (validated like
the form, audited old → new). A participant proposes a correction of the fields they may
know best (`PROPOSABLE`) from their account; it waits, one at a time, until the office
accepts it (applied through the same `update_person`, so validated and audited the same way)
or rejects it with a reason. Either way the participant sees the outcome on their account
and gets an e-mail: answering the data subject's own request is not "new processing", so a
restriction (art. 18) does not hold it back.
"""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.links import absolute_url
from lider.people import recipients, services
from lider.people.forms import PersonForm
from lider.people.models import Person
from lider.people.rectification_models import Correction

# What a participant may propose to correct; the rest (PESEL, documents, monitoring data)
# the office corrects on the person's page, with the document in hand.
PROPOSABLE = (
    "first_name",
    "last_name",
    "street",
    "house_number",
    "flat_number",
    "postal_code",
    "city",
    "phone",
    "email",
)


def _shown(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def propose(person: Person, values: dict, *, actor, comment: str = "") -> Correction:
    """Record the participant's proposal: the fields of `values` that differ from the record.

    Refused (ValidationError) when nothing differs, when a proposal is already waiting, or
    when the values would not pass the person form (checked now, and again on acceptance).
    """
    unknown = set(values) - set(PROPOSABLE)
    if unknown:
        raise ValueError(f"Not a proposable field: {', '.join(sorted(unknown))}.")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changes = {
        name: [_shown(getattr(locked, name)), _shown(value)]
        for name, value in values.items()
        if _shown(value).strip() != _shown(getattr(locked, name)).strip()
    }
    if not changes:
        raise ValidationError(_("Nothing differs from the data we hold: there is nothing to send."))
    if locked.corrections.filter(status=Correction.Status.PENDING).exists():
        raise ValidationError(
            _("Your earlier proposal is still waiting for the office: wait for its answer.")
        )
    # Checked as `update_person` will check it on acceptance (the person form's rules).
    services._validated(PersonForm, locked, {name: new for name, (_old, new) in changes.items()})
    try:
        with transaction.atomic():
            correction = Correction.objects.create(
                person=locked, changes=changes, comment=comment, proposed_by=actor
            )
    except IntegrityError:  # a second request at the same moment
        raise ValidationError(
            _("Your earlier proposal is still waiting for the office: wait for its answer.")
        ) from None
    audit.record(
        actor,
        audit.Action.UPDATE,
        locked,
        note=audit.Note(
            gettext_lazy(
                "correction of the data proposed by the person (art. 16 GDPR): %(fields)s"
            ),
            fields=", ".join(changes),
        ),
    )
    return correction


@transaction.atomic
def accept(correction: Correction, *, actor) -> Correction:
    """Apply the proposal through `update_person` (validated, audited old → new) and say so."""
    correction = (
        Correction.objects.select_for_update().select_related("person").get(pk=correction.pk)
    )
    if not correction.is_pending:
        raise ValidationError(_("This proposal has already been decided."))
    services.update_person(
        correction.person,
        {name: new for name, (_old, new) in correction.changes.items()},
        actor=actor,
        note=audit.Note(
            gettext_lazy("correction proposed by the person on %(date)s, accepted"),
            date=timezone.localtime(correction.proposed_at).date().isoformat(),
        ),
    )
    _decide(correction, Correction.Status.ACCEPTED, actor=actor)
    return correction


@transaction.atomic
def reject(correction: Correction, *, actor, reason: str) -> Correction:
    correction = (
        Correction.objects.select_for_update().select_related("person").get(pk=correction.pk)
    )
    if not correction.is_pending:
        raise ValidationError(_("This proposal has already been decided."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting: the person will read it."))
    correction.reason = reason
    _decide(correction, Correction.Status.REJECTED, actor=actor)
    return correction


def _decide(correction: Correction, status, *, actor) -> None:
    old = correction.status
    correction.status = status
    correction.decided_at = timezone.now()
    correction.decided_by = actor
    correction.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    audit.record(
        actor,
        audit.Action.STATUS,
        correction.person,
        changes={"correction": [old, status]},
        note=correction.reason,
    )
    transaction.on_commit(lambda: _notify(correction))


def _notify(correction: Correction) -> None:
    """In the person's language (`recipients`: their application's, else their account
    invitation's, else Polish), with the link to their account in that language."""
    person = correction.person
    address = person.email or (person.user.email if person.user_id else "")
    if not address:
        return
    with translation.override(recipients.language_for_person(person)):
        context = {
            "correction": correction,
            "person": person,
            "account_url": absolute_url(reverse("website:account")),
        }
        send_mail(
            _("Your proposed correction of your data"),
            render_to_string("people/email/correction_decided.txt", context),
            None,
            [address],
        )


def pending_for(project):
    """The proposals waiting for the office, of people in the project (oldest first)."""
    in_project = Q(person__participations__project=project) | Q(
        person__applications__project=project
    )
    return (
        Correction.objects.filter(status=Correction.Status.PENDING)
        .filter(pk__in=Correction.objects.filter(in_project).values("pk"))
        .select_related("person")
        .order_by("proposed_at", "pk")
    )
