"""A newer territorial register that moves a gmina to another county: the county figures stay
true without `lider rebuild_aggregates` (each record keeps the unit it was entered with, so no
participant's county moves; the totals stay current and equal a fresh computation), the pages
name the counties as the newer register does, and the cached public pages are dropped."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lider.core.permissions import Role
from lider.reporting import totals
from lider.reporting.measures import Period
from lider.reporting.models import TotalsState
from lider.reporting.queries import indicator_values
from lider.reporting.rollup.queries import Filters, rollup
from lider.territory.models import Unit
from lider.territory.queries import unit_by_code
from lider.territory.services import load_terc
from lider.website import public_cache
from tests.factories import member
from tests.reporting.builders import DAY, build, indicator
from tests.reporting.test_totals import _summary, every_indicator, fresh, stored

pytestmark = pytest.mark.django_db

# Dąbrowa Zielona (2404022, częstochowski county in 2021) moves to myszkowski county as
# 2409062; the częstochowski county is renamed.
REGISTER_2026 = """\ufeffWOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA
24;;;;ŚLĄSKIE;województwo;2026-01-01
24;04;;;częstochowsko-blachowniański;powiat;2026-01-01
24;04;01;3;Blachownia;gmina miejsko-wiejska;2026-01-01
24;09;;;myszkowski;powiat;2026-01-01
24;09;03;2;Niegowa;gmina wiejska;2026-01-01
24;09;06;2;Dąbrowa Zielona;gmina wiejska;2026-01-01
"""

FILTERS = [Filters(), Filters(county="2404"), Filters(county="2409"), Filters(end=DAY)]


def _county_figures(project):
    return [v.cumulative.by_county for v in indicator_values(project)]


def _current(project) -> bool:
    return project.pk in totals.current([project.pk])


def test_a_register_that_moves_a_gmina_keeps_the_county_figures_true_without_a_rebuild(
    client, tmp_path, django_capture_on_commit_callbacks
):
    world = build(women=2, men=1)  # two people in Dąbrowa Zielona (2404), one in Niegowa (2409)
    every_indicator(world)
    started = indicator(world, "participants_started")
    totals.rebuild(world.project)
    token = TotalsState.objects.get(project=world.project).changed
    coordinator = member(world.project, Role.COORDINATOR)
    figures = _county_figures(world.project)
    rolled = [_summary(rollup(coordinator, filters)) for filters in FILTERS]
    assert indicator_values(world.project)[-1].cumulative.by_county == {"2404": 2, "2409": 1}
    cache.set(public_cache.GLOBAL, "tokens before the load")
    path = tmp_path / "TERC_Urzedowy_2026.csv"
    path.write_text(REGISTER_2026, encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_terc", str(path), stdout=io.StringIO())

    moved = unit_by_code("2409062")
    assert moved.parent.code == "2409" and moved.reference_date.year == 2026
    assert cache.get(public_cache.GLOBAL) is None  # every cached public page dropped
    # Nobody's county moved: the totals are current as they were, equal to a fresh
    # computation, and the figures by county (dashboard, roll-up) are the same.
    state = TotalsState.objects.get(project=world.project)
    assert state.changed == token and _current(world.project)
    assert totals.stale_rows(world.project) == 0
    for period in (Period(), Period(end=DAY)):
        assert stored(world.project, period) == fresh(world.project, period)
    assert _county_figures(world.project) == figures
    assert [_summary(rollup(coordinator, filters)) for filters in FILTERS] == rolled
    client.force_login(coordinator)
    page = client.get(reverse("reporting:dashboard", kwargs={"slug": world.project.slug}))
    assert "powiat częstochowsko-blachowniański (ziemski): 2" in page.content.decode()

    # The office moves a person to the gmina of the newer register: the save marks the totals
    # stale when it commits, the (inline) worker rebuilds them, the figure follows the county.
    # (The test's transaction never commits: the pending marks are run by hand, as the builder's
    # writes already left one for this person.)
    person = world.participants[0].person
    person.gmina = moved
    person.save(update_fields=["gmina"])
    pending = [c for _sids, c, _robust in connection.run_on_commit if hasattr(c, "key")]
    assert ("person", person.pk) in [c.key for c in pending]
    for callback in pending:
        callback()
    state = TotalsState.objects.get(project=world.project)
    assert state.changed != token and state.built == state.changed
    [value] = [v for v in indicator_values(world.project) if v.indicator == started]
    assert value.cumulative.by_county == {"2404": 1, "2409": 2}
    for period in (Period(), Period(end=DAY)):
        assert stored(world.project, period) == fresh(world.project, period)
    assert _summary(rollup(coordinator, Filters(county="2409")))["rows"][world.project.pk][0] == 2


def test_a_load_that_adds_nothing_or_runs_in_a_migration_tells_no_one(
    tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "TERC.csv"
    path.write_text(REGISTER_2026, encoding="utf-8")
    with django_capture_on_commit_callbacks() as callbacks:
        assert load_terc(path, unit_model=Unit) == 6  # as a data migration calls it
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        assert load_terc(path) == 0  # the same register again
    assert callbacks == []
