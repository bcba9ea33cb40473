"""The rows a monitoring export reads (monitoring_rows) and the cells compiled once per file
(columns.Cells): what the speed-ups must not change."""

import datetime

import pytest

from lider.delivery.models import Enrolment
from lider.projects.models import Task
from lider.reporting.exports.columns import Cells, field_names
from lider.reporting.exports.monitoring_rows import (
    context_for,
    count_rows,
    rows_for,
    support_rows,
)
from lider.reporting.exports.profiles import CST2021, SL2014
from tests.reporting.builders import build
from tests.reporting.test_exports import complete, export

pytestmark = pytest.mark.django_db


def test_an_enrolment_never_attended_is_no_form_of_support_and_is_not_counted():
    world = build(women=2, men=1)
    advisory = Task.objects.create(
        project=world.project, kind=Task.Kind.GROUP_ADVISORY, title="Doradztwo"
    )
    first = world.participants[0]
    Enrolment.objects.create(task=advisory, participant=first, status="qualified")

    rows = list(support_rows(world.project))

    start = field_names(SL2014).index("support_start")
    support = field_names(SL2014).index("support")
    assert [(row[0], row[support]) for row in rows] == [
        (p.pk, "training_cycle") for p in sorted(world.participants, key=_by_name)
    ]
    assert all(isinstance(row[start], datetime.date) for row in rows)
    assert support_rows(world.project).count() == len(rows) == 3
    assert count_rows(world.project, CST2021) == 3


def _by_name(participant):
    from lider.core.collation import sort_key

    person = participant.person
    return sort_key(person.last_name), sort_key(person.first_name), participant.pk


def test_people_are_exported_in_polish_order_of_surnames():
    world = build(women=3, men=0)
    complete(world)
    for participant, surname in zip(world.participants, ["Mazur", "Łukasz", "Lis"], strict=True):
        participant.person.__class__.objects.filter(pk=participant.person_id).update(
            last_name=surname
        )

    rows = list(rows_for(world.project, SL2014))

    surnames = [row[field_names(SL2014).index("last_name")] for row in rows]
    assert surnames == ["Lis", "Łukasz", "Mazur"]  # by code points Ł would follow M


def test_an_empty_mandatory_value_of_the_project_leaves_every_row_out_and_says_so():
    """The project block is the same on every row (computed once per file): empty, it is a
    gap of every row."""
    world = build(women=2, men=0)
    complete(world)
    world.project.__class__.objects.filter(pk=world.project.pk).update(contract_number="")
    world.project.refresh_from_db()

    result, (sheet, check) = export(world, "sl2014")

    assert result.exported == 0 and len(sheet) == 1
    assert [row[2] for row in check[1:]] == ["Numer umowy/decyzji/aneksu"] * 2
    assert [row[3] for row in check[1:]] == ["A"] * 2


def test_cells_read_fields_by_name_for_functions_and_check_only_what_can_fail():
    world = build(women=1, men=0)
    complete(world)
    context = context_for(world.project, full_sensitive=False)
    cells = Cells(SL2014.columns, field_names(SL2014), context)
    (values,) = rows_for(world.project, SL2014)

    row = cells.of(values)

    labels = [column.label for column in SL2014.columns]
    assert row[labels.index("Rodzaj uczestnika") - 1] == "Polska"  # the person's "Kraj"
    assert row[labels.index("Wiek w chwili przystąpienia do projektu")] > 0
    assert row[labels.index("Brak PESEL")] == "Nie"
    assert row[labels.index("PESEL")].endswith("*****")  # masked without the permission
    assert row[labels.index("Osoba z niepełnosprawnościami")] == "(ukryte)"
    assert cells.gaps(row) == []
    # A value outside a dictionary is a gap even in a column that is not mandatory.
    detail = field_names(SL2014).index("labour_detail")
    odd = (*values[:detail], "unknown", *values[detail + 1 :])
    column = [c.source for c in SL2014.columns].index("labour_detail")
    assert cells.gaps(cells.of(odd)) == [(column, "W tym: wartość spoza słownika (unknown)")]
