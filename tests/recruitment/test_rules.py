import datetime

import pytest

from lider.recruitment import rules
from lider.territory.queries import unit_by_code
from tests.factories import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2009, 12, 10)


def verdicts(results):
    return [(r["kind"], r["passed"], rules.explain(r)) for r in results]


def test_rules_pass_with_polish_reasons(project, people_group):
    person = PersonFactory.build(
        gmina=unit_by_code("2404052"), birth_date=datetime.date(1980, 5, 17)
    )
    results = rules.evaluate(
        rules.context_for(project), person=person, target_group=people_group, on=DAY
    )
    assert verdicts(results) == [
        (
            "area",
            True,
            "Gmina Kłomnice, powiat częstochowski (ziemski), leży na obszarze projektu.",
        ),
        ("min_age", True, "Wiek w dniu zgłoszenia (10.12.2009): 29; wymagane minimum: 18."),
        ("target_group", True, "Zadeklarowana grupa docelowa: Osoby fizyczne"),
    ]
    assert rules.is_eligible(results)


def test_rules_fail_with_the_reason(project):
    person = PersonFactory.build(
        gmina=unit_by_code("2407011"), birth_date=datetime.date(1992, 1, 1)
    )
    other_group = project.target_groups.get(order=2)
    results = rules.evaluate(
        rules.context_for(project), person=person, target_group=other_group, on=DAY
    )
    assert verdicts(results) == [
        (
            "area",
            False,
            "Gmina Lubliniec, powiat lubliniecki (ziemski), leży poza obszarem projektu "
            "(powiat częstochowski (ziemski), powiat myszkowski (ziemski)).",
        ),
        (
            "min_age",
            False,
            "Wiek w dniu zgłoszenia (10.12.2009): 17 — poniżej wymaganego minimum 18.",
        ),
        (
            "target_group",
            False,
            "Zadeklarowana grupa docelowa nie jest przyjmowana: Instytucje rynku pracy",
        ),
    ]
    assert not rules.is_eligible(results)


def test_age_rule_counts_full_years_on_the_day(project, people_group):
    ctx = rules.context_for(project)
    birthday = PersonFactory.build(birth_date=datetime.date(1991, 12, 10))
    day_before = PersonFactory.build(birth_date=datetime.date(1991, 12, 11))
    assert rules.evaluate(ctx, person=birthday, target_group=people_group, on=DAY)[1]["passed"]
    assert not rules.evaluate(ctx, person=day_before, target_group=people_group, on=DAY)[1][
        "passed"
    ]


def test_rule_out_of_force_is_ignored(project, people_group):
    project.eligibility_rules.filter(kind="min_age").update(is_active=False)
    child = PersonFactory.build(birth_date=datetime.date(2000, 1, 1))
    results = rules.evaluate(
        rules.context_for(project), person=child, target_group=people_group, on=DAY
    )
    assert [r["kind"] for r in results] == ["area", "target_group"]
    assert rules.is_eligible(results)


def test_institution_seat_and_no_age_limit(project, people_group):
    institution = InstitutionFactory.build(gmina=unit_by_code("2409011"))
    results = rules.evaluate(
        rules.context_for(project), institution=institution, target_group=people_group, on=DAY
    )
    assert [r["code"] for r in results] == ["area_inside", "age_not_applicable", "group_ok"]


def test_score_adds_the_points_of_met_criteria(project):
    ctx = rules.context_for(project)
    # unemployed (10) + woman (5) + rural gmina Kłomnice (3); no disability
    woman = PersonFactory.build(sex="K", labour_status="unemployed_registered", disability="no")
    assert rules.score(ctx, person=woman, on=DAY) == 18
    # employed man with a disability in the town of Myszków (urban): 8
    man = PersonFactory.build(
        sex="M", labour_status="employed", disability="yes", gmina=unit_by_code("2409011")
    )
    assert [(c.kind, p) for c, p in rules.points(ctx, person=man, on=DAY)] == [("disability", 8)]
    # rural part of an urban-rural gmina counts as rural
    koziegłowy_rural = PersonFactory.build(
        sex="M", labour_status="employed", disability="refused", gmina=unit_by_code("2409025")
    )
    assert rules.score(ctx, person=koziegłowy_rural, on=DAY) == 3


def test_a_birth_date_after_the_application_gives_no_negative_age(project, people_group):
    person = PersonFactory.build(birth_date=datetime.date(2010, 3, 1))
    results = rules.evaluate(
        rules.context_for(project),
        person=person,
        target_group=people_group,
        on=datetime.date(2009, 12, 10),
    )
    age = next(r for r in results if r["kind"] == "min_age")
    assert age["passed"] is False
    assert rules.explain(age) == (
        "Data urodzenia (01.03.2010) jest późniejsza niż dzień zgłoszenia (10.12.2009): "
        "sprawdź datę urodzenia."
    )
