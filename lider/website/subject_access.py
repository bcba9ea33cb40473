"""Everything Lider holds about one person (GDPR art. 15), as JSON and as a readable PDF.

The collector reads every app that keeps data about a person, so it lives here, above them
(`people` must not import the apps built on it). Each part is a list of records, one record a
dict of the model's own fields, read from the model (so a field added later is included
without touching this module): field name → value, a choice as its label in the language of
the request, dates as ISO text. The number of queries does not grow with the person's records.

`projects` limits the answer to some projects (the office sees the projects where it may
answer requests); the person's own download passes None: every project.
"""

import datetime
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.certification.models import Certificate, TestScore
from lider.core.documents import (
    MAX_TEXT_LENGTH,
    ReportData,
    ReportSection,
    ReportTable,
    render_report,
)
from lider.core.models import AuditEntry
from lider.delivery.models import Attendance, Enrolment, SessionBooking
from lider.people.models import Correction, InstitutionMember, Participant, Person
from lider.recruitment.models import Application, Consent

TEXT_LIMIT = MAX_TEXT_LENGTH

# Columns that only link rows together or say who in the office did what: left out of records.
SKIPPED = {"user", "person", "participant", "application", "signed_list"}


def _value(obj, field):
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return None
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.ForeignKey):
        return str(getattr(obj, field.name))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(obj, *, skip=()) -> dict:
    return {
        field.name: _value(obj, field)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in SKIPPED and field.name not in skip
    }


# Keys the collector adds to a model's own fields.
ADDED_LABELS = {
    "project": gettext_lazy("project"),
    "text": gettext_lazy("text"),
    "wording": gettext_lazy("text shown"),
    "date": gettext_lazy("date"),
    "task": gettext_lazy("task"),
    "object": gettext_lazy("object"),
    "who": gettext_lazy("who"),
    "information_clause": gettext_lazy("information clause shown"),
}


def _labels(model, names) -> dict:
    labels = {}
    for name in names:
        try:
            labels[name] = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            labels[name] = str(ADDED_LABELS.get(name, name))
    return labels


# (key, model, heading): the parts of the answer, in the order they are shown.
PARTS = [
    ("person", Person, gettext_lazy("Personal data")),
    ("corrections", Correction, gettext_lazy("Corrections you proposed")),
    ("institutions", InstitutionMember, gettext_lazy("Institutions")),
    ("applications", Application, gettext_lazy("Applications and decisions")),
    ("consents", Consent, gettext_lazy("Consents")),
    ("participations", Participant, gettext_lazy("Participation in projects")),
    ("enrolments", Enrolment, gettext_lazy("Enrolments")),
    ("bookings", SessionBooking, gettext_lazy("Bookings of open events")),
    ("attendance", Attendance, gettext_lazy("Attendance")),
    ("test_scores", TestScore, gettext_lazy("Knowledge test scores")),
    ("certificates", Certificate, gettext_lazy("Certificates")),
    ("audit", AuditEntry, gettext_lazy("Changes recorded about you")),
]


def collect(person: Person, *, projects=None) -> dict:
    """Every record about the person, by part (see `PARTS`); JSON-safe."""

    def scoped(queryset, path):
        return queryset if projects is None else queryset.filter(**{f"{path}__in": projects})

    applications = list(
        scoped(Application.objects.filter(person=person), "project").select_related(
            "project", "target_group", "decided_by", "information_clause"
        )
    )
    participants = list(
        scoped(Participant.objects.filter(person=person), "project").select_related("project")
    )
    consents = list(
        Consent.objects.filter(application__in=applications).select_related(
            "text", "application__project"
        )
    )
    by_participant = {"participant__in": participants}
    enrolments = list(Enrolment.objects.filter(**by_participant).select_related("task", "group"))
    bookings = list(SessionBooking.objects.filter(**by_participant).select_related("session"))
    attendance = list(
        Attendance.objects.filter(**by_participant)
        .select_related("session__task", "marked_by")
        .order_by("session__date", "session__start_time")
    )
    scores = list(TestScore.objects.filter(**by_participant).select_related("task"))
    certificates = list(
        Certificate.objects.filter(**by_participant).select_related(
            "project", "task", "series", "issued_by", "revoked_by"
        )
    )
    memberships = list(
        InstitutionMember.objects.filter(person=person).select_related("institution")
    )
    about = [(person, [person.pk])]
    for group in [applications, participants, consents, enrolments, certificates, scores]:
        if group:
            about.append((group[0], [obj.pk for obj in group]))
    audit_filter = models.Q()
    for obj, ids in about:
        content_type = ContentType.objects.get_for_model(obj)
        audit_filter |= models.Q(content_type=content_type, object_id__in=[str(i) for i in ids])
    audit = AuditEntry.objects.filter(audit_filter).select_related("actor").order_by("at", "pk")
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "person": [record(person)],
        "corrections": [record(c) for c in person.corrections.select_related("decided_by")],
        "institutions": [record(m) for m in memberships],
        "applications": [
            {
                **record(a, skip={"information_clause"}),
                "information_clause": (
                    {"version": a.information_clause.version, **dict(_clause(a))}
                    if a.information_clause
                    else None
                ),
            }
            for a in applications
        ],
        "consents": [
            {
                "project": str(c.application.project),
                **record(c),
                "text": str(c.text),
                "wording": c.text.text,
            }
            for c in consents
        ],
        "participations": [record(p) for p in participants],
        "enrolments": [record(e) for e in enrolments],
        "bookings": [record(b) for b in bookings],
        "attendance": [
            {
                **record(a),
                "date": a.session.date.isoformat(),
                "task": str(a.session.task),
            }
            for a in attendance
        ],
        "test_scores": [record(s) for s in scores],
        "certificates": [record(c, skip={"evaluation", "programme"}) for c in certificates],
        "audit": [
            {
                "at": timezone.localtime(e.at).isoformat(timespec="seconds"),
                "action": str(e.get_action_display()),
                "object": e.object_repr,
                "who": e.actor.username if e.actor else None,
                "changes": e.changes,
                "note": str(e.note_text),
            }
            for e in audit
        ],
    }


def _clause(application):
    clause = application.information_clause
    return [(name, getattr(clause, name)) for name in clause.SECTIONS]


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    # A document cell holds at most MAX_TEXT_LENGTH characters; the JSON keeps all of it.
    return value if len(value) <= TEXT_LIMIT else value[: TEXT_LIMIT - 1] + "…"


def as_pdf(person: Person, data: dict, *, lang: str) -> bytes:
    """The same records, one two-column table (field, value) per record."""
    with translation.override(lang):
        sections = []
        for key, model, heading in PARTS:
            rows = data[key]
            tables = []
            for number, row in enumerate(rows, start=1):
                labels = _labels(model, row)
                tables.append(
                    ReportTable(
                        columns=[_("Field"), _("Value")],
                        rows=[(labels[name], _text(value)) for name, value in row.items()],
                        caption=f"{number}." if len(rows) > 1 else "",
                    )
                )
            sections.append(
                ReportSection(
                    heading=str(heading),
                    paragraphs=[] if rows else [_("None.")],
                    tables=tables,
                )
            )
        report = ReportData(
            title=_("Your personal data held in Lider"),
            subtitle=_("%(name)s, as of %(date)s")
            % {"name": f"{person.first_name} {person.last_name}", "date": data["generated_at"]},
            sections=sections,
        )
    return render_report(report, lang=lang)
