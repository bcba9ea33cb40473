"""The rows behind a figure, listed with what identifies each record."""

import datetime

from django.utils.translation import gettext_lazy as _

from lider.reporting.measures import Measure

# For each model of records: select_related paths, ordering, and the columns shown
# (header, function of the row).
PRESENTERS = {
    "people.Participant": (
        ["person__gmina__parent", "institution"],
        ["person__last_name", "person__first_name", "pk"],
        [
            (_("Full name"), lambda p: str(p)),
            (_("Sex"), lambda p: p.person.get_sex_display() if p.person_id else ""),
            (_("County"), lambda p: _county(p.person.gmina if p.person_id else None)),
            (_("Start of participation"), lambda p: p.start_date),
        ],
    ),
    "delivery.Session": (
        ["task", "group__county", "venue__gmina__parent"],
        ["date", "start_time", "pk"],
        [
            (_("Date"), lambda s: s.date),
            (_("Topic"), lambda s: s.title),
            (_("Task"), lambda s: s.task.title),
            (
                _("County"),
                lambda s: s.group.county.county_label if s.group_id else _county(s.venue.gmina),
            ),
        ],
    ),
    "outcomes.FoundedEntity": (
        ["seat__parent"],
        ["order", "name", "pk"],
        [
            (_("Name of the entity"), lambda e: e.name),
            (_("KRS"), lambda e: e.krs),
            (_("Registration date"), lambda e: e.registration_date),
            (_("County"), lambda e: _county(e.seat)),
        ],
    ),
    "delivery.Attendance": (
        ["participant__person", "participant__institution", "session__task__project"],
        ["session__date", "participant__person__last_name", "pk"],
        [
            (_("Full name"), lambda a: str(a.participant)),
            (_("Date"), lambda a: a.session.date),
            (_("Topic"), lambda a: a.session.title),
            # In the project's hours unit, so the rows add up to the indicator's figure.
            (
                _("Hours (the project's unit)"),
                lambda a: a.session.hours_in(a.session.task.project.hours_unit),
            ),
        ],
    ),
}


def _county(gmina) -> str:
    return gmina.parent.county_label if gmina is not None and gmina.parent_id else ""


def columns(measure: Measure) -> list[str]:
    return [header for header, _ in PRESENTERS[measure.model][2]]


def prepare(measure: Measure, queryset):
    related, ordering, _columns = PRESENTERS[measure.model]
    return queryset.select_related(*related).order_by(*ordering)


def cells(measure: Measure, row) -> list:
    return [function(row) for _, function in PRESENTERS[measure.model][2]]


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
