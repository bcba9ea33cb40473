"""Restriction of processing (GDPR art. 18) and objection (art. 21): set, lift, ask.

A restricted person stays in the database with everything already recorded (the evidence),
but is left out of exports and e-mails and refused any new processing: an application
accepted or linked, a place offered or confirmed, an enrolment. Every refusal says why.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from lider.core import audit
from lider.people.models import Person, Restriction


def restriction_of(person_id: int | None) -> Restriction | None:
    if person_id is None:
        return None
    return Restriction.objects.filter(person_id=person_id).first()


def restricted_flag(person_field: str) -> Exists:
    """An annotation telling, in the same query, whether the row's person is restricted."""
    return Exists(Restriction.objects.filter(person_id=OuterRef(person_field)))


def is_restricted(person_id: int | None) -> bool:
    return person_id is not None and Restriction.objects.filter(person_id=person_id).exists()


def refuse_if_restricted(person_id: int | None) -> None:
    """Raise a ValidationError with the reason when new processing of the person is refused."""
    restriction = restriction_of(person_id)
    if restriction is not None:
        raise ValidationError(
            _(
                "Processing of this person's data is restricted since %(date)s (%(kind)s): "
                "no new application, place or enrolment can be recorded until it is lifted."
            )
            % {
                "date": timezone.localtime(restriction.since).strftime("%d.%m.%Y"),
                "kind": restriction.get_kind_display(),
            },
            code="restricted",
        )


@transaction.atomic
def restrict(person: Person, *, kind: str, reason: str, actor) -> Restriction:
    if Restriction.objects.filter(person=person).exists():
        raise ValidationError(_("Processing of this person's data is already restricted."))
    restriction = Restriction.objects.create(
        person=person, kind=kind, reason=reason, since=timezone.now(), set_by=actor
    )
    audit.record(
        actor,
        audit.Action.UPDATE,
        person,
        changes={"restriction": [None, kind]},
        note=reason,
    )
    return restriction


@transaction.atomic
def lift(person: Person, *, actor, note: str = "") -> None:
    restriction = Restriction.objects.select_for_update().filter(person=person).first()
    if restriction is None:
        return
    audit.record(
        actor,
        audit.Action.UPDATE,
        person,
        changes={"restriction": [restriction.kind, None]},
        note=note,
    )
    restriction.delete()
