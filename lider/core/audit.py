"""Recording the audit trail: the one mechanism every app opts into.

Services pass the acting user explicitly and wrap their writes:

    with audit.tracking(person, actor=actor):          # records changed fields, old → new
        person.first_name = "Anna"
        person.save(update_fields=["first_name"])

    audit.created(person, actor=actor)                  # after creating
    audit.deleted(person, actor=actor)                  # before deleting
    audit.status_changed(application, actor=actor, old="new", new="accepted", note=reason)
    audit.record(actor, AuditEntry.Action.EXPORT, obj,
                 note=audit.Note(gettext_lazy("%(name)s: %(rows)s rows"), name="SL2014", rows=120))

Entries store raw values, as Django's LogEntry does, and are translated when read, whatever
language the actor used: changed fields by name with choice values as stored (the page shows
the field's verbose name and the choice's label: the `lider_audit` template tags), and a note
given as `gettext_lazy(...)` or `Note(gettext_lazy(...), **values)` as its English message id
(`AuditEntry.note_text` translates it). A plain string note (a reason typed by someone) is kept
as written.

The project an entry belongs to is `obj.audit_project_id` when the model defines it, else
`obj.project_id`. Values of fields the model marks sensitive are stored masked, so the trail
never becomes a second copy of personal data.
"""

import datetime
import decimal
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import translation
from django.utils.functional import Promise

from lider.core import bulk, sensitive
from lider.core.models import TRANSLATED_VALUES, AuditEntry

Action = AuditEntry.Action


class Note:
    """A note translated when read: a lazy message with %(name)s values.

    The message is a ``gettext_lazy`` text (not ``pgettext_lazy``: the stored message id has
    no context, so a context-only translation would not be found when read).

    Values are stored as given; a lazy value (a choice's label) is stored as its message id and
    translated when read too.
    """

    def __init__(self, message: Promise, **values):
        self.message = message
        self.values = values

    def stored(self) -> tuple[str, dict]:
        with translation.override(None):  # lazy text gives its message id, untranslated
            values = {
                name: str(value) if isinstance(value, Promise) else value
                for name, value in self.values.items()
            }
            translated = [name for name, value in self.values.items() if isinstance(value, Promise)]
            if translated:
                values[TRANSLATED_VALUES] = translated
            return str(self.message), values


def _stored_note(note) -> tuple[str, dict | None]:
    if isinstance(note, Note):
        return note.stored()
    if isinstance(note, Promise):
        return Note(note).stored()
    return note or "", None


def record(actor, action, obj=None, *, changes=None, project_id=None, note="") -> AuditEntry:
    if project_id is None and obj is not None:
        project_id = project_of(obj)
    note, note_values = _stored_note(note)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        project_id=project_id,
        changes=changes or {},
        note=note,
        note_values=note_values,
    )


def recorded_each(model, objects, action, *, actor, note, project_id=None) -> None:
    """One entry on each object's own history, in one insert: an import of 10,000 people
    leaves each person an entry naming the file (attributable per person) at COPY speed.

    `objects` are (pk, text shown for the object) pairs of `model`'s rows."""
    objects = list(objects)
    if not objects:
        return
    note, note_values = _stored_note(note)
    content_type_id = ContentType.objects.get_for_model(model).pk
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    changes = {}
    bulk.insert_values(
        AuditEntry,
        NAMES,
        [
            (actor_id, action, content_type_id, str(pk), text[:300], project_id, changes, note,
             note_values)
            for pk, text in objects
        ],
    )  # fmt: skip


NAMES = (
    "actor_id", "action", "content_type_id", "object_id", "object_repr", "project_id",
    "changes", "note", "note_values",
)  # fmt: skip


def project_of(obj) -> int | None:
    if hasattr(obj, "audit_project_id"):
        return obj.audit_project_id
    return getattr(obj, "project_id", None)


def snapshot(obj, fields=None) -> dict:
    """Comparable, JSON-safe values of the object's concrete and many-to-many fields."""
    values = {}
    for field in obj._meta.get_fields():
        if fields is not None and field.name not in fields:
            continue
        if field.many_to_many and not field.auto_created:
            if obj.pk is None:
                continue
            values[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
        elif getattr(field, "concrete", False) and not field.auto_created:
            values[field.name] = _plain(obj, field)
    return values


def _plain(obj, field):
    value = getattr(obj, field.attname)
    if sensitive.is_sensitive(obj, field.name):
        return sensitive.mask(obj, field.name, value)
    if isinstance(field, models.ForeignKey):
        return str(getattr(obj, field.name)) if value is not None else None
    if field.choices and value not in (None, ""):
        return str(value)  # the stored value; the reader sees its label in their language
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


@contextmanager
def tracking(obj, *, actor, fields=None, note=""):
    """Record one UPDATE entry with the fields changed inside the block (none: no entry).

    The "before" state is read from the database, so changes already made to the instance in
    memory (a ModelForm's validation assigns its data) count as changes.
    """
    with transaction.atomic():
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
        yield obj
        obj.refresh_from_db()
        changes = diff(before, snapshot(obj, fields))
        if changes:
            record(actor, Action.UPDATE, obj, changes=changes, note=note)


def created(obj, *, actor, note="") -> AuditEntry:
    after = snapshot(obj)
    changes = {name: [None, value] for name, value in after.items() if value not in (None, "", [])}
    return record(actor, Action.CREATE, obj, changes=changes, note=note)


def deleted(obj, *, actor, note="") -> AuditEntry:
    before = snapshot(obj)
    changes = {name: [value, None] for name, value in before.items() if value not in (None, "", [])}
    return record(actor, Action.DELETE, obj, changes=changes, note=note)


def status_changed(obj, *, actor, old, new, field="status", note="") -> AuditEntry:
    """`old` and `new` are the stored values (e.g. "accepted"), never their labels."""
    return record(actor, Action.STATUS, obj, changes={field: [old, new]}, note=note)


def history(obj):
    return AuditEntry.objects.for_object(obj).select_related("actor", "content_type")


def redact(entry_id: int, **values) -> None:
    """Replace personal data in one entry: erasure under GDPR art. 17 is the one change an
    append-only entry allows (`AuditQuerySet.update` refuses every other). Only anonymisation
    (`lider.website.erasure`) calls it, and it records an entry of its own."""
    models.QuerySet.update(AuditEntry.objects.filter(pk=entry_id), **values)
