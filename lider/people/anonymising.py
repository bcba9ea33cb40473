"""Anonymising people (GDPR art. 17): every row kept, what identifies the person removed.

When it is allowed, and the copies other apps hold (applications, certificates, the audit
trail), are `lider.website.erasure`'s; this writes the people themselves and their login
accounts, and records the entry.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.people.fields import PERSON_FIELDS
from lider.people.models import Person
from lider.people.rectification_models import Correction

FIRST_NAME = "Osoba"
LAST_NAME = "zanonimizowana"
REMOVED = "[usunięto]"
# What stays: the indicators and monitoring exports count people by these. The birth date
# keeps its year (age groups), below.
KEPT = {"sex", "gmina", "education", "labour_status", "labour_detail"}
CLEARED = tuple(name for name in PERSON_FIELDS if name not in KEPT)


def _cleared(person: Person) -> None:
    born = person.birth_date
    for name in CLEARED:
        field = Person._meta.get_field(name)
        setattr(person, name, None if field.null else "")
    person.first_name, person.last_name = FIRST_NAME, LAST_NAME
    # A person needs an identifier (a database rule): one that names no one.
    person.other_document_type = REMOVED
    person.other_document_number = f"anonim-{person.pk}"
    person.birth_date = born.replace(month=1, day=1)


@transaction.atomic
def anonymise_people(people: list[Person], *, actor, project_id=None, note=None) -> None:
    """Anonymise these people (loaded with their `user`) and close their login accounts;
    one audit entry with the count (names in it would defeat the purpose)."""
    if not people:
        return
    for person in people:
        _cleared(person)
    Person.objects.bulk_update(people, CLEARED)
    # Proposed corrections (art. 16) hold names and addresses, old and new: they go too.
    Correction.objects.filter(person__in=people).delete()
    users = [p.user for p in people if p.user is not None]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(user=None)
    for user in users:
        user.username = f"usuniety-{user.pk}"
        user.email = user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
    get_user_model().objects.bulk_update(
        users, ["username", "email", "first_name", "last_name", "is_active", "password"]
    )
    if isinstance(note, audit.Note):
        note.values.setdefault("count", len(people))
    audit.record(
        actor,
        audit.Action.UPDATE,
        None,
        project_id=project_id,
        note=note
        or audit.Note(
            gettext_lazy("personal data of %(count)s people anonymised (art. 17 GDPR)"),
            count=len(people),
        ),
    )
