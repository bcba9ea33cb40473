"""A participant's path: when participation starts and ends, and whether it was completed as
planned — derived from enrolments and attendance, never typed twice.

The rule of the project (``Project.participation_kinds`` and ``participation_tasks``): support
in a task of one of these kinds, or in one of these tasks, makes a person a participant
(default: training cycle and group advisory). Meetings, conferences and forums are
promotional: attending them is attendance, not participation. The coordinator changes the
rule on the project's "participation rule" page (:func:`change_rule`), which recomputes every
path.

- Start: the day of the first attended session (present or late) of such a task.
- Planned path: the participant's enrolments in such tasks (qualified, participating,
  completed, dropped). The planned end is the last session of the enrolled groups (or of the
  task, for an enrolment without a group); without enrolments, the last attended session.
- End: the day the participant dropped out (an enrolment dropped, or a drop-out recorded by
  the office with a reason from ``Participant.ExitReason``), or the planned end once passed.
- Completed as planned: yes when the path has ended and every planned enrolment is completed;
  no when the participant dropped out or an enrolment was left unfinished; unknown while the
  path continues. The office may override it with a note (audited).

This module is below ``delivery``: it reaches enrolments and attendance only through the
reverse relations of ``Participant`` (``enrolments``, ``attendance``), and delivery calls
:func:`refresh` when it marks attendance or changes an enrolment.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.people.models import Participant

# Mirrors delivery's Attendance.ATTENDED and Enrolment statuses (tests check they agree):
# this app sits below delivery and cannot import its models.
ATTENDED = ("present", "late")
PLANNED = ("qualified", "participating", "completed", "dropped")
COMPLETED = "completed"
DROPPED = "dropped"
# Exit reasons that mean the participant left before the end of the path.
LEFT_EARLY = frozenset(Participant.ExitReason.values) - {"", Participant.ExitReason.COMPLETED}
PATH_FIELDS = ("start_date", "start_source", "end_date", "completed_as_planned", "exit_reason")


def participation_kinds(project) -> list[str]:
    return list(project.participation_kinds or [])


@dataclass(frozen=True)
class Rule:
    """Which tasks count as participation: those of ``kinds`` and those in ``task_ids``."""

    kinds: tuple[str, ...]
    task_ids: tuple[int, ...]

    def q(self, prefix: str) -> Q:
        """The filter on the task reached through ``prefix`` (e.g. ``"session__task"``)."""
        condition = Q(**{f"{prefix}__kind__in": self.kinds})
        if self.task_ids:
            condition |= Q(**{f"{prefix}__in": self.task_ids})
        return condition


def rule_of(project) -> Rule:
    """The project's rule (one query, for the tasks named one by one)."""
    return Rule(
        kinds=tuple(participation_kinds(project)),
        task_ids=tuple(project.participation_tasks.values_list("pk", flat=True)),
    )


def kinds_label(project) -> str:
    """The rule in words, for the person's page: 'training cycle, group advisory'."""
    from lider.projects.models import Task

    return ", ".join(str(Task.Kind(kind).label) for kind in participation_kinds(project))


def tasks_label(project) -> str:
    """The tasks named one by one, in words: 'Forum in Myszków, …' (one query)."""
    return ", ".join(
        project.participation_tasks.order_by("order", "pk").values_list("title", flat=True)
    )


def change_rule(project, *, kinds, tasks, actor) -> int:
    """The coordinator sets which task kinds (and which single tasks of the project) make a
    person a participant; one audit entry on the project (old → new), then every path of the
    project is stored again (each change audited). Returns how many paths changed."""
    from lider.projects.models import Task

    kinds = [kind for kind in Task.Kind.values if kind in set(kinds)]
    task_ids = sorted({task.pk for task in tasks if task.project_id == project.pk})
    with transaction.atomic():
        fields = {"participation_kinds", "participation_tasks"}
        with audit.tracking(project, actor=actor, fields=fields):
            project.participation_kinds = kinds
            project.save(update_fields=["participation_kinds"])
            project.participation_tasks.set(task_ids)
        return refresh(project, actor=actor)


@dataclass
class Facts:
    """What the database says about one participant's path."""

    first_attended: datetime.date | None = None
    last_attended: datetime.date | None = None
    planned: int = 0  # enrolments in participation tasks (waiting ones excluded)
    completed: int = 0
    dropped_on: datetime.date | None = None
    planned_end: datetime.date | None = None


@dataclass
class Path:
    start_date: datetime.date | None
    start_source: str
    end_date: datetime.date | None
    completed: bool | None  # computed, before any override
    completed_as_planned: bool | None  # what the exports read
    exit_reason: str
    why: str  # why completed is what it is, in words


def facts_for(project, participant_ids=None) -> dict[int, Facts]:
    """Facts for the project's participants (or the given ones): four queries in all."""
    rule = rule_of(project)
    # People only: an institution's participation is recorded by the office (it attends no
    # session itself).
    base = Participant.objects.filter(project=project, person__isnull=False)
    if participant_ids is not None:
        base = base.filter(pk__in=list(participant_ids))
    attended = Q(attendance__status__in=ATTENDED) & rule.q("attendance__session__task")
    facts: dict[int, Facts] = {}
    for pk, first, last in (
        base.values("pk")
        .annotate(
            first=Min("attendance__session__date", filter=attended),
            last=Max("attendance__session__date", filter=attended),
        )
        .values_list("pk", "first", "last")
    ):
        facts[pk] = Facts(first_attended=first, last_attended=last)
    planned = Q(enrolments__status__in=PLANNED) & rule.q("enrolments__task")
    for pk, count, completed, dropped_on in (
        base.values("pk")
        .annotate(
            planned=Count("enrolments", filter=planned),
            completed=Count("enrolments", filter=planned & Q(enrolments__status=COMPLETED)),
            dropped_on=Min("enrolments__dropped_on", filter=planned),
        )
        .values_list("pk", "planned", "completed", "dropped_on")
    ):
        facts[pk].planned, facts[pk].completed, facts[pk].dropped_on = count, completed, dropped_on
    in_plan = planned & (
        Q(enrolments__group__isnull=True)
        | Q(enrolments__task__sessions__group_id=F("enrolments__group_id"))
    )
    for pk, end in (
        base.values("pk")
        .annotate(end=Max("enrolments__task__sessions__date", filter=in_plan))
        .values_list("pk", "end")
    ):
        facts[pk].planned_end = end
    return facts


def compute(participant: Participant, facts: Facts, today: datetime.date) -> Path:
    """The path of one participant from the facts (no query)."""
    if participant.start_source == Participant.StartSource.OFFICE:
        start, source = participant.start_date, participant.start_source
    elif facts.first_attended:
        start, source = facts.first_attended, Participant.StartSource.ATTENDANCE
    else:
        start, source = None, Participant.StartSource.NONE
    recorded_exit = participant.exit_reason in LEFT_EARLY and participant.end_date
    planned_end = facts.planned_end or facts.last_attended
    exit_reason = participant.exit_reason
    end = None
    if start is None:
        completed, why = None, _("Not a participant: no attended session of a participation task.")
        exit_reason = exit_reason if recorded_exit else ""
        end = participant.end_date if recorded_exit else None
    elif recorded_exit or facts.dropped_on:
        end = participant.end_date if recorded_exit else facts.dropped_on
        if not recorded_exit:
            exit_reason = Participant.ExitReason.OTHER
        completed = False
        why = _("Dropped out on %(date)s (%(reason)s).") % {
            "date": f"{end:%d.%m.%Y}",
            "reason": Participant.ExitReason(exit_reason).label,
        }
    elif planned_end is None or planned_end >= today:
        completed = None
        exit_reason = ""
        why = (
            _("The path continues until %(date)s.") % {"date": f"{planned_end:%d.%m.%Y}"}
            if planned_end
            else _("No planned support yet.")
        )
    elif facts.completed == facts.planned:
        end, completed, exit_reason = planned_end, True, Participant.ExitReason.COMPLETED
        why = _("All %(count)s planned tasks completed; last planned support on %(date)s.") % {
            "count": facts.planned,
            "date": f"{planned_end:%d.%m.%Y}",
        }
    else:
        end, completed, exit_reason = planned_end, False, ""
        why = _(
            "%(open)s of %(count)s planned tasks not marked as completed after the last "
            "planned support on %(date)s."
        ) % {
            "open": facts.planned - facts.completed,
            "count": facts.planned,
            "date": f"{planned_end:%d.%m.%Y}",
        }
    effective = participant.completed_override
    if effective is None:
        effective = completed
    return Path(
        start_date=start,
        start_source=source,
        end_date=end,
        completed=completed,
        completed_as_planned=effective,
        exit_reason=exit_reason,
        why=why,
    )


def path_of(participant: Participant, today: datetime.date | None = None) -> Path:
    """The path of one person taking part (institutions: see ``facts_for``)."""
    facts = facts_for(participant.project, [participant.pk]).get(participant.pk, Facts())
    return compute(participant, facts, today or timezone.localdate())


def refresh(project, *, actor, participant_ids=None, today=None) -> int:
    """Store the paths of the project's participants (or the given ones) where they changed;
    each change is audited. Returns how many changed. Queries: constant plus one update and
    one audit entry per changed participant."""
    today = today or timezone.localdate()
    facts = facts_for(project, participant_ids)
    participants = Participant.objects.filter(pk__in=list(facts)).order_by("pk")
    changed = 0
    with transaction.atomic():
        for participant in participants.select_for_update():
            path = compute(participant, facts[participant.pk], today)
            changes = {
                name: [getattr(participant, name), getattr(path, name)]
                for name in PATH_FIELDS
                if getattr(participant, name) != getattr(path, name)
            }
            if not changes:
                continue
            for name, (_old, new) in changes.items():
                setattr(participant, name, new)
            participant.save(update_fields=list(changes))
            audit.record(
                actor,
                audit.Action.UPDATE,
                participant,
                changes=audit.diff(
                    {name: _plain(old) for name, (old, _new) in changes.items()},
                    {name: _plain(new) for name, (_old, new) in changes.items()},
                ),
                note=audit.Note(gettext_lazy("participation path recomputed")),
            )
            changed += 1
    return changed


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def override_completion(participant: Participant, *, value: bool | None, note: str, actor):
    """The office decides "completed as planned" (``value``), or returns to the computed
    value (``None``); a decision needs a note. Audited, then the path is stored again."""
    note = (note or "").strip()
    if value is not None and not note:
        raise ValidationError(
            _("Give the reason for the decision."), code="note", params={"field": "note"}
        )
    with audit.tracking(participant, actor=actor, fields=["completed_override", "completed_note"]):
        participant.completed_override = value
        participant.completed_note = note if value is not None else ""
        participant.save(update_fields=["completed_override", "completed_note"])
    refresh(participant.project, actor=actor, participant_ids=[participant.pk])
    participant.refresh_from_db()
    return participant


def record_exit(participant: Participant, *, reason: str, on: datetime.date, actor):
    """The office records that the participant dropped out on ``on`` for ``reason`` (one of
    ``Participant.ExitReason`` other than completion). Audited; the path is stored again."""
    if reason not in LEFT_EARLY:
        raise ValidationError(_("Choose the reason for leaving from the list."), code="reason")
    with audit.tracking(participant, actor=actor, fields=["end_date", "exit_reason"]):
        participant.end_date, participant.exit_reason = on, reason
        participant.save(update_fields=["end_date", "exit_reason"])
    refresh(participant.project, actor=actor, participant_ids=[participant.pk])
    participant.refresh_from_db()
    return participant


def first_support(participant: Participant):
    """(date, task title, session title) of the first attended session of a participation
    task, for the person's page; None when there is none."""
    return (
        participant.attendance.filter(
            rule_of(participant.project).q("session__task"), status__in=ATTENDED
        )
        .order_by("session__date", "session__start_time", "session_id")
        .values_list("session__date", "session__task__title", "session__title")
        .first()
    )
