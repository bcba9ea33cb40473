"""Reads shared by certification's views, services, exports and other apps.

Attendance comes from what ``lider.delivery.queries.attendance_shares`` reads too (the planned
minutes of each group and the pre-aggregated ``AttendanceTotal``, converted to the project's
hours unit, ``lider.projects.hours``), so certificates and delivery's screens agree.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Min, Q, Sum, Value
from django.db.models.functions import Replace, Upper

from lider.certification import rules
from lider.certification.models import Certificate, CompletionRule, TestScore
from lider.core.paging import TwoStep
from lider.delivery.models import Attendance, AttendanceTotal, Enrolment, Session, minutes_of
from lider.delivery.queries import planned
from lider.people.models import Participant
from lider.people.queries import participants_by_name
from lider.projects import hours

# Enrolments that count as taking part in the task (a waiting-list place does not).
EVALUATED = [s for s in Enrolment.Status if s != Enrolment.Status.WAITING]
# Up to this many participants their totals are looked up by id, past it the task's are read.
FEW = 500
# Up to this many participants the task's page evaluates them all for its summary.
EVALUATED_WHOLE = 500


def valid_certificates(project):
    """Issued, not revoked certificates of a project (for indicators: count, by sex, by task)."""
    return Certificate.objects.valid().filter(project=project)


# What the public verification page shows (and nothing else is read).
PUBLIC_FIELDS = [
    "number",
    "code",
    "status",
    "issued_on",
    "revoked_at",
    "full_name",
    "training_title",
    "hours",
    "hours_unit",
    "start_date",
    "end_date",
    "place",
    "project_title",
    "project_number",
]
# Several projects may use the same number pattern; more matches than this are not listed.
MAX_NUMBER_MATCHES = 5


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).only(*PUBLIC_FIELDS).first()


def normalise_number(text: str) -> str:
    """A printed number as typed (' lres/2010/ 001') → compared form ('LRES/2010/001')."""
    return "".join(str(text).split()).upper()


def certificates_by_number(text: str) -> list[Certificate]:
    """Certificates whose printed number is ``text``, ignoring case and spaces."""
    key = normalise_number(text)
    if not key or len(key) > Certificate._meta.get_field("number").max_length or "\x00" in key:
        return []
    printed = Replace(Upper("number"), Value(" "), Value(""))
    return list(
        Certificate.objects.annotate(printed=printed)
        .filter(printed=key)
        .only(*PUBLIC_FIELDS)
        .order_by("pk")[:MAX_NUMBER_MATCHES]
    )


def holder_has_surname(certificate: Certificate, surname: str) -> bool:
    """Whether ``surname`` is the printed full name's last name(s), ignoring case and spaces."""
    typed = " ".join(str(surname).split()).casefold()
    full = " ".join(certificate.full_name.split()).casefold()
    return bool(typed) and (full == typed or full.endswith(" " + typed))


def certificates_for_project(project):
    return (
        Certificate.objects.filter(project=project)
        .select_related("task")
        .order_by("series_id", "sequence")
    )


def completion_rule(task) -> CompletionRule | None:
    return CompletionRule.objects.filter(task=task).first()


def hours_unit(task) -> str:
    """The hours unit of the task's project (lider.projects.hours)."""
    return task.project.hours_unit


def enrolments(task):
    """The task's participants (not the waiting list), with person and group, by name."""
    return (
        Enrolment.objects.filter(task=task, status__in=EVALUATED)
        .select_related("participant__person", "participant__institution", "group")
        .order_by("participant__person__last_name", "participant__person__first_name", "pk")
    )


def participant_facts(task, enrolment_rows=None, *, session_ids=()) -> dict[int, rules.Facts]:
    """Facts per participant id: hours of their sessions, hours attended, share, test scores.

    A participant's sessions are the task's sessions of their group plus those without a group.
    Sums are computed by the database; ``session_ids`` are the sessions whose attendance the
    rule asks about one by one.
    """
    if enrolment_rows is None:
        enrolment_rows = Enrolment.objects.filter(task=task, status__in=EVALUATED).values(
            "participant_id", "group_id"
        )
    enrolment_rows = list(enrolment_rows)
    ids = [row["participant_id"] for row in enrolment_rows]
    plan = planned(task)
    totals = AttendanceTotal.objects.filter(task=task)
    if len(ids) <= FEW:
        totals = totals.filter(participant_id__in=ids)
    attended = dict(totals.values_list("participant_id", "minutes_attended"))
    minutes = {
        row["participant_id"]: (
            plan.get(row["group_id"], plan[None])[0],
            attended.get(row["participant_id"], 0),
        )
        for row in enrolment_rows
    }
    named = defaultdict(set)
    if session_ids:
        for participant_id, session_id in Attendance.objects.filter(
            session_id__in=session_ids, participant_id__in=ids, status__in=Attendance.ATTENDED
        ).values_list("participant_id", "session_id"):
            named[participant_id].add(session_id)
    scores = {
        row[0]: row[1:]
        for row in TestScore.objects.filter(task=task, participant_id__in=ids).values_list(
            "participant_id", "pre_test", "post_test"
        )
    }
    unit = hours_unit(task)
    facts = {}
    for row in enrolment_rows:
        participant_id = row["participant_id"]
        total, done = minutes.get(participant_id, (0, 0))
        share = min(Decimal(100), Decimal(done) * 100 / total) if total else Decimal(0)
        pre, post = scores.get(participant_id, (None, None))
        facts[participant_id] = rules.Facts(
            hours_total=hours.hours(total, unit),
            hours_attended=hours.hours(done, unit),
            share=share.quantize(Decimal("0.01")),
            sessions_attended=frozenset(named[participant_id]),
            pre_test=pre,
            post_test=post,
        )
    return facts


def session_labels(task) -> dict[int, str]:
    return {
        session.pk: f"„{session.title}” ({session.date:%d.%m.%Y})"
        for session in Session.objects.filter(task=task).only("pk", "title", "date")
    }


@dataclass
class Standing:
    """One participant of a task against the rule, and their valid certificate if any."""

    enrolment: Enrolment
    facts: rules.Facts
    evaluation: rules.Evaluation | None
    certificate: Certificate | None
    rule: CompletionRule | None = None

    @property
    def participant(self):
        return self.enrolment.participant

    @property
    def pk(self):
        """The participant's id: a page of standings is read by participant ids."""
        return self.enrolment.participant_id

    @property
    def eligible(self) -> bool:
        return self.evaluation is not None and self.evaluation.met


def standings(task, rule: CompletionRule | None = None, *, rows=None) -> list[Standing]:
    """Every participant of the task (or those of the enrolments ``rows``) with facts,
    evaluation and certificate: a fixed number of queries whatever the number of participants.
    """
    rule = rule if rule is not None else completion_rule(task)
    rows = list(enrolments(task) if rows is None else rows)
    tree = rule.conditions if rule else None
    named = rules.session_ids_in(tree) if tree else set()
    facts = participant_facts(
        task,
        [{"participant_id": e.participant_id, "group_id": e.group_id} for e in rows],
        session_ids=named,
    )
    labels = session_labels(task) if named else {}
    certificates = Certificate.objects.valid().filter(task=task)
    if len(rows) <= FEW:
        certificates = certificates.filter(participant_id__in=[e.participant_id for e in rows])
    certificates = {c.participant_id: c for c in certificates}
    return [
        Standing(
            enrolment=e,
            facts=facts[e.participant_id],
            evaluation=rules.evaluate(tree, facts[e.participant_id], sessions=labels)
            if tree
            else None,
            certificate=certificates.get(e.participant_id),
            rule=rule,
        )
        for e in rows
    ]


def standings_pages(task, rule: CompletionRule | None = None) -> TwoStep:
    """:func:`standings` a page at a time, by name (people.queries.participants_by_name), for
    a paginator: the page's participants read along the name index through the task's
    enrolments, then their facts, evaluation and certificate; counted on the enrolments."""
    evaluated = Enrolment.objects.filter(task=task, status__in=EVALUATED)
    return participants_by_name(
        Participant.objects.filter(pk__in=evaluated.values("participant_id")),
        count=lambda: evaluated.count(),
        load=lambda ids: standings(
            task, rule, rows=enrolments(task).filter(participant_id__in=ids)
        ),
    )


@dataclass(frozen=True)
class Printed:
    """What a certificate prints about the training for one group of a task."""

    hours: Decimal
    start_date: object
    end_date: object
    place: str
    programme: list  # [[topic, hours as string], …] in the order first held
    hours_unit: str = hours.DEFAULT  # the unit of ``hours`` and the programme's hours


def printed_training(task, group_id) -> Printed | None:
    """Programme (topics grouped with their hours), dates, places and total hours of the
    sessions a group's participant was meant to attend; None if there are none."""
    sessions = Session.objects.filter(task=task).filter(
        Q(group__isnull=True) | Q(group_id=group_id)
    )
    topics = list(
        sessions.values("title")
        .annotate(minutes=Sum(minutes_of()), first=Min("date"))
        .order_by("first", "title")
    )
    if not topics:
        return None
    span = sessions.aggregate(start=Min("date"), end=Max("date"))
    places = list(sessions.order_by("venue__city").values_list("venue__city", flat=True).distinct())
    unit = hours_unit(task)
    return Printed(
        hours=sum((hours.hours(t["minutes"], unit) for t in topics), Decimal(0)),
        start_date=span["start"],
        end_date=span["end"],
        place=", ".join(places),
        programme=[[t["title"], str(hours.hours(t["minutes"], unit))] for t in topics],
        hours_unit=unit,
    )


def knowledge_gain_by_group(task):
    """Average pre-test, post-test and gain (percentage points) per group, in the database."""
    return (
        TestScore.objects.filter(
            task=task,
            participant__enrolments__task=task,
            pre_test__isnull=False,
            post_test__isnull=False,
        )
        .values("participant__enrolments__group__name")
        .annotate(
            people=Count("pk"),
            pre=Avg("pre_test"),
            post=Avg("post_test"),
            gain=Avg(F("post_test") - F("pre_test")),
        )
        .order_by("participant__enrolments__group__name")
    )


def knowledge_gain(task) -> dict:
    """The same averages over the whole task."""
    return TestScore.objects.filter(
        task=task, pre_test__isnull=False, post_test__isnull=False
    ).aggregate(
        people=Count("pk"),
        pre=Avg("pre_test"),
        post=Avg("post_test"),
        gain=Avg(F("post_test") - F("pre_test")),
    )
