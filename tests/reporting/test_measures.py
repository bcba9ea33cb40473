import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lider.reporting import measures
from lider.reporting.measures import Period
from tests.reporting.builders import DAY, build, certify, indicator

pytestmark = pytest.mark.django_db


def figure(world, key, params=None, period=measures.CUMULATIVE):
    return measures.compute(measures.get(key), world.project, params or {}, period)


def test_participants_in_task_split_by_sex_and_county():
    world = build(women=3, men=2)
    f = figure(world, "participants_in_task", {"task": world.task.pk})
    assert (f.total, f.women, f.men) == (5, 3, 2)
    assert f.by_county == {"2404": 3, "2409": 2}
    assert f.split_adds_up


def test_certified_counts_only_valid_certificates_and_follows_revocation():
    world = build(women=2, men=2)
    f = figure(world, "participants_with_valid_certificate", {"task": world.task.pk})
    assert (f.total, f.women, f.men) == (4, 2, 2)
    certificate = world.participants[0].certificates.get()
    certificate.status = "revoked"
    certificate.revoked_at = certificate.issued_at
    certificate.save()
    f = figure(world, "participants_with_valid_certificate", {"task": world.task.pk})
    assert (f.total, f.women, f.men) == (3, 1, 2)
    share = figure(world, "share_certified", {"task": world.task.pk})
    assert (share.total, share.women, share.men) == (75, 50, 100)


def test_reissued_certificate_counts_once():
    world = build(women=1, men=0)
    old = world.participants[0].certificates.get()
    old.status = "revoked"
    old.revoked_at = old.issued_at
    old.save()
    certify(world, world.participants[0])
    f = figure(world, "participants_with_valid_certificate", {"task": world.task.pk})
    assert f.total == 1


def test_period_filters_by_issue_date():
    world = build(women=1, men=1, certified=0)
    certify(world, world.participants[0], on=datetime.date(2010, 5, 1))
    certify(world, world.participants[1], on=datetime.date(2010, 8, 1))
    key, params = "participants_with_valid_certificate", {"task": world.task.pk}
    q2 = figure(world, key, params, Period(datetime.date(2010, 4, 1), datetime.date(2010, 6, 30)))
    assert (q2.total, q2.women, q2.men) == (1, 1, 0)
    until_june = figure(world, key, params, Period(end=datetime.date(2010, 6, 30)))
    assert until_june.total == 1


def test_sessions_of_kind_with_and_without_county():
    world = build()
    assert figure(world, "sessions_of_kind", {"task_kind": "forum"}).total == 2
    one = figure(world, "sessions_of_kind", {"task_kind": "forum", "county": "2409"})
    assert one.total == 1
    assert one.women is None
    training = figure(world, "sessions_of_kind", {"task_kind": "training_cycle"})
    assert training.by_county == {"2404": 2}


def test_attendance_hours_sums_session_lengths_in_the_projects_unit():
    world = build(women=2, men=1, sessions=2)  # 3 people × 2 sessions × 210 minutes
    f = figure(world, "attendance_hours", {"task": world.task.pk})
    assert (f.total, f.women, f.men) == (Decimal("28.00"), Decimal("18.67"), Decimal("9.33"))
    world.project.hours_unit = "clock"
    f = figure(world, "attendance_hours", {"task": world.task.pk})
    assert (f.total, f.women, f.men) == (Decimal("21.00"), Decimal("14.00"), Decimal("7.00"))


def test_entities_founded_by_seat_county_and_period():
    world = build()
    f = figure(world, "entities_founded")
    assert f.total == 1
    assert f.by_county == {"2409": 1}
    assert figure(world, "entities_founded", period=Period(end=DAY)).total == 0
    world.project.founded_entities.update(registration_date=None)
    assert figure(world, "entities_founded", period=Period(end=DAY)).total == 1
    assert figure(world, "entities_founded", period=Period(DAY, DAY)).total == 0


def test_records_are_exactly_the_counted_rows():
    world = build(women=2, men=1, certified=2)
    measure = measures.get("participants_with_valid_certificate")
    rows = measure.records(world.project, {"task": world.task.pk})
    assert sorted(rows.values_list("pk", flat=True)) == [p.pk for p in world.participants[:2]]
    women = measure.filter_records(rows, sex="K")
    assert women.count() == 2
    assert measure.filter_records(rows, county="2409").count() == 1


def test_indicator_validates_params_against_the_project():
    world = build()
    other = build()
    ind = indicator(world, "participants_in_task", {"task": other.task.pk})
    with pytest.raises(ValidationError):
        ind.full_clean()
    ind.params = {"task": world.task.pk, "nonsense": 1}
    with pytest.raises(ValidationError):
        ind.full_clean()
    ind.params = {"task": world.task.pk}
    ind.full_clean()


def test_indicator_target_split_must_add_up():
    world = build()
    ind = indicator(world, "participants_in_task", {"task": world.task.pk})
    ind.target_women, ind.target_men = 5, 4
    with pytest.raises(ValidationError):
        ind.full_clean()
