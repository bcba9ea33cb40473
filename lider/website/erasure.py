"""Erasure within the law (GDPR art. 17): when a person's data may go, and anonymising it.

A participant's records are evidence the project must keep for its funder until the
archiving date on the project card (art. 17(3)(b): a legal obligation); before it erasure is
refused with that reason. Someone who only applied and never took part can be erased at any
time. After the date the office anonymises the project's people in bulk.

Anonymising keeps every row (so counts, indicator values, snapshots, the results page and
certificate verification still work) and removes what identifies the person: names, PESEL,
documents, address, contacts, the birth day (the year stays), the special-category answers,
the copies of PESEL and e-mail on applications, the name on certificates, the login account,
and the names, PESEL and e-mails in the audit trail. Sex, gmina, education and labour status
stay: the indicators are counted from them. Lives here, above the apps it writes to.
"""

import datetime
import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lider.certification.models import Certificate
from lider.core import audit
from lider.core.models import AuditEntry, LoginFailure
from lider.people.anonymising import FIRST_NAME, LAST_NAME, REMOVED, anonymise_people
from lider.people.models import Participant, Person
from lider.people.queries import people_in
from lider.recruitment.models import Application
from lider.website import public_cache


def refusal(person: Person, *, today: datetime.date | None = None) -> str | None:
    """Why the person's data cannot be erased now, with the legal reason; None: it can."""
    today = today or timezone.localdate()
    for participant in Participant.objects.filter(person=person).select_related("project"):
        project = participant.project
        if project.archiving_date is None:
            return _(
                "%(name)s took part in the project “%(project)s”, whose archiving date is not "
                "set on the project card. The project's evidence must be kept until that date "
                "(art. 17(3)(b) GDPR: a legal obligation of the beneficiary under the funding "
                "agreement), so the data cannot be erased now."
            ) % {"name": person.full_name, "project": project.title}
        if project.archiving_date >= today:
            return _(
                "%(name)s took part in the project “%(project)s”, whose evidence must be kept "
                "until %(date)s (art. 17(3)(b) GDPR: a legal obligation of the beneficiary "
                "under the funding agreement). The data can be erased after that date."
            ) % {
                "name": person.full_name,
                "project": project.title,
                "date": project.archiving_date.strftime("%d.%m.%Y"),
            }
    return None


def erase_person(person: Person, *, actor, today: datetime.date | None = None) -> None:
    """Erase one person on request: refused with the reason while evidence must be kept."""
    reason = refusal(person, today=today)
    if reason:
        raise ValidationError(reason, code="archiving")
    anonymise([person.pk], actor=actor)


def project_refusal(project, *, today: datetime.date | None = None) -> str | None:
    """Why the project's people cannot be anonymised yet; None: they can."""
    today = today or timezone.localdate()
    if project.archiving_date is None:
        return _(
            "The archiving date is not set on the project card: the project's evidence must be "
            "kept until then (art. 17(3)(b) GDPR)."
        )
    if project.archiving_date >= today:
        return _(
            "The project's evidence must be kept until %(date)s (art. 17(3)(b) GDPR: a legal "
            "obligation under the funding agreement)."
        ) % {"date": project.archiving_date.strftime("%d.%m.%Y")}
    return None


def people_due(project, *, today: datetime.date) -> list[int]:
    """The people anonymising the project would change: its applicants and participants not
    yet anonymised, except those taking part in a project still keeping its evidence."""
    in_project = people_in(project).exclude(first_name=FIRST_NAME, last_name=LAST_NAME)
    kept = Participant.objects.filter(person__in=in_project).filter(
        Q(project__archiving_date__isnull=True) | Q(project__archiving_date__gte=today)
    )
    return sorted(
        set(in_project.exclude(pk__in=kept.values("person_id")).values_list("pk", flat=True))
    )


def anonymise_project(project, *, actor, today: datetime.date | None = None, note=None) -> int:
    """Anonymise the people of a project past its archiving date; returns how many.

    A person who also takes part in a project still keeping its evidence is left as they are.
    """
    today = today or timezone.localdate()
    reason = project_refusal(project, today=today)
    if reason:
        raise ValidationError(reason, code="archiving")
    ids = people_due(project, today=today)
    anonymise(ids, actor=actor, project_id=project.pk, note=note)
    return len(ids)


def retention(project, *, today: datetime.date | None = None) -> dict:
    """The retention report: whose data will be anonymised when, and how many people.

    A few counting queries, whatever the number of people."""
    today = today or timezone.localdate()
    people = people_in(project)
    anonymised = people.filter(first_name=FIRST_NAME, last_name=LAST_NAME)
    live = people.exclude(pk__in=anonymised.values("pk"))
    participants = live.filter(participations__project=project).distinct()
    elsewhere = Participant.objects.filter(person__in=live).exclude(project=project)
    longer = elsewhere.filter(
        Q(project__archiving_date__isnull=True)
        | Q(project__archiving_date__gt=project.archiving_date or datetime.date.max)
    )
    return {
        "archiving_date": project.archiving_date,
        "past": project.archiving_date is not None and project.archiving_date < today,
        "participants": participants.count(),
        "applicants_only": live.exclude(pk__in=participants.values("pk")).count(),
        "kept_longer": longer.values("person_id").distinct().count(),
        "restricted": live.filter(restriction__isnull=False).count(),
        "anonymised": anonymised.count(),
    }


def _identifiers(people) -> list[str]:
    found = set()
    for person in people:
        found.update(
            value
            for value in [
                person.pesel,
                person.email,
                person.phone,
                person.other_document_number,
                f"{person.first_name} {person.last_name}",
                f"{person.last_name} {person.first_name}",
            ]
            if value and len(value.strip()) > 3
        )
        if person.user is not None:
            found.update(v for v in [person.user.username, person.user.email] if len(v) > 3)
    return sorted(found, key=len, reverse=True)


@transaction.atomic
def anonymise(person_ids: list[int], *, actor, project_id=None, note=None) -> None:
    people = list(Person.objects.filter(pk__in=person_ids).select_related("user"))
    if not people:
        return
    identifiers = _identifiers(people)
    Application.objects.filter(person_id__in=person_ids).update(pesel="", email="")
    certificates = Certificate.objects.filter(participant__person_id__in=person_ids)
    public_cache.forget_certificates(certificates.values_list("code", flat=True))
    certificates.update(full_name="")
    anonymise_people(people, actor=actor, project_id=project_id, note=note)
    _scrub_trail(identifiers)


def _scrub_trail(identifiers: list[str]) -> None:
    """Remove the identifiers from the audit trail and the login failures (append-only tables:
    changed by UPDATE statements, the one change they allow: erasure)."""
    if not identifiers:
        return
    pattern = re.compile("|".join(re.escape(value) for value in identifiers), re.IGNORECASE)
    # Every entry is read: JSON columns may store text escaped, so a database search could
    # miss a name with Polish letters. A rare bulk operation; only changed rows are written.
    fields = ("pk", "object_repr", "note", "changes", "note_values")
    for entry in AuditEntry.objects.only(*fields).iterator(chunk_size=2000):
        scrubbed = {
            "object_repr": pattern.sub(REMOVED, entry.object_repr),
            "note": pattern.sub(REMOVED, entry.note),
            "changes": _scrubbed(entry.changes, pattern),
            "note_values": _scrubbed(entry.note_values, pattern),
        }
        if any(getattr(entry, name) != value for name, value in scrubbed.items()):
            audit.redact(entry.pk, **scrubbed)
    variants = {form for value in identifiers for form in (value, value.lower())}
    LoginFailure.objects.filter(username__in=variants).update(username=REMOVED)


def _scrubbed(value, pattern):
    if value is None:
        return None
    return json.loads(pattern.sub(REMOVED, json.dumps(value, ensure_ascii=False)))
