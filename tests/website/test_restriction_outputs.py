"""Restriction (art. 18) reaching the certificate register and the import (the attendance
list: tests/delivery/test_restricted_on_list.py).

The register and the attendance list are evidence: a restricted person keeps their row (the
certificate's number, the signature line), but the register leaves their name out and the
list marks them. An import row matching a restricted person is reported and not processed,
even when the office ticks it for linking.
"""

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from lider.core.permissions import Role
from lider.people import restrictions
from lider.people.importing import register_gminas, validate
from lider.territory.queries import unit_by_code
from tests.certification.conftest import make_training
from tests.certification.test_views import _issue_all, _url
from tests.factories import PersonFactory, ProjectFactory, member
from tests.people.test_importing import HEADER, row

pytestmark = pytest.mark.django_db


def test_register_xlsx_keeps_the_row_without_the_restricted_holders_name(client):
    training = make_training()
    certificates = _issue_all(training)
    office = member(training.project, Role.OFFICE)
    held = certificates[1].participant.person
    restrictions.restrict(held, kind="restriction", reason="Kwestionuje dane", actor=office)
    client.force_login(office)
    response = client.get(_url("register_xlsx", training))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = rows.get_sheet_by_index(0).to_python()
    assert [r[1] for r in rows[1:]] == [c.number for c in certificates]  # every number kept
    assert rows[2][2] == "wstrzymane: ograniczenie przetwarzania (art. 18 RODO)"
    assert held.last_name not in str(rows)
    assert rows[1][2] == certificates[0].full_name  # the others as before
    restrictions.lift(held, actor=office)
    rows = CalamineWorkbook.from_filelike(
        io.BytesIO(client.get(_url("register_xlsx", training)).content)
    )
    assert rows.get_sheet_by_index(0).to_python()[2][2] == certificates[1].full_name


def _validate(rows, confirmed=frozenset()):
    counties = {unit_by_code("2404").pk, unit_by_code("2409").pk}
    return validate(
        [HEADER, *rows],
        gminas=register_gminas(),
        county_ids=counties,
        taken_pesels=set(),
        confirmed=confirmed,
    )


def test_an_import_row_of_a_restricted_person_is_reported_not_processed():
    known = PersonFactory(
        pesel="90010112349", first_name="Anna", last_name="Nowak",
        birth_date=datetime.date(1990, 1, 1), sex="K",
    )  # fmt: skip
    other = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})
    assert [m.row for m in _validate([row(), other]).matches] == [2]
    office = member(ProjectFactory(), Role.OFFICE)
    restrictions.restrict(known, kind="restriction", reason="x", actor=office)
    for confirmed in (frozenset(), frozenset({2})):  # ticking it for linking changes nothing
        result = _validate([row(), other], confirmed)
        assert [p.pesel for p in result.people] == ["05210512347"]
        assert result.matches == [] and result.links == []
        [problem] = result.restricted
        assert problem.row == 2 and problem.column == "PESEL"
        assert "ograniczone (art. 18 RODO)" in problem.message
