"""Eligibility rules and scoring criteria, evaluated from data.

A result is stored on the application as plain data (`{"rule", "kind", "passed", "code",
"params"}`) and explained at display time in the reader's language by `explain()`, so the same
check reads in Polish in the office and in English for an English-speaking auditor.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lider.people.identifiers import age_on
from lider.people.models import Education, LabourDetail, LabourStatus
from lider.recruitment.models import EligibilityRule, ScoringCriterion

Kind = EligibilityRule.Kind
Criterion = ScoringCriterion.Kind


@dataclass
class Context:
    """What rules need besides the applicant, loaded once per project (not once per row)."""

    rules: list[EligibilityRule]
    criteria: list[ScoringCriterion]
    county_ids: set[int]
    county_names: list[str]
    admitted_groups: dict[int, set[int]] = field(default_factory=dict)  # rule pk → group pks
    # Verdicts that depend on one value only, kept while a whole file is checked.
    memo: dict = field(default_factory=dict)


def context_for(project) -> Context:
    rules = list(project.eligibility_rules.filter(is_active=True).prefetch_related("target_groups"))
    counties = sorted(project.counties.all(), key=lambda c: c.code)
    return Context(
        rules=rules,
        criteria=list(project.scoring_criteria.all()),
        county_ids={c.pk for c in counties},
        county_names=[c.county_label for c in counties],
        admitted_groups={
            r.pk: {g.pk for g in r.target_groups.all()}
            for r in rules
            if r.kind == Kind.TARGET_GROUP
        },
    )


def _area(ctx: Context, rule, gmina) -> dict:
    if gmina is None:
        return _result(rule, False, "area_missing")
    inside = gmina.parent_id in ctx.county_ids
    return _result(
        rule,
        inside,
        "area_inside" if inside else "area_outside",
        gmina=gmina.name,
        county=gmina.parent.county_label if gmina.parent_id else "",
        counties=", ".join(ctx.county_names),
    )


def _group(ctx: Context, rule, target_group) -> dict:
    admitted = ctx.admitted_groups.get(rule.pk, set())
    if target_group is None:
        return _result(rule, False, "group_missing")
    if admitted and target_group.pk not in admitted:
        return _result(rule, False, "group_not_admitted", group=str(target_group))
    return _result(rule, True, "group_ok", group=str(target_group))


def _result(rule, passed: bool, code: str, **params) -> dict:
    return {"rule": rule.pk, "kind": rule.kind, "passed": passed, "code": code, "params": params}


def evaluate(
    ctx: Context, *, person=None, institution=None, target_group=None, on: datetime.date
) -> list[dict]:
    """Each rule's verdict for one applicant, in the rules' order."""
    subject = person or institution
    results = []
    for rule in ctx.rules:
        if rule.kind == Kind.AREA:
            gmina = subject.gmina
            key = (rule.pk, gmina.pk if gmina is not None else None)
            if key not in ctx.memo:
                ctx.memo[key] = _area(ctx, rule, gmina)
            results.append(ctx.memo[key])
        elif rule.kind == Kind.MIN_AGE:
            if person is None:
                results.append(_result(rule, True, "age_not_applicable"))
            elif person.birth_date > on:  # an age below zero means the birth date is wrong
                results.append(
                    _result(
                        rule,
                        False,
                        "born_after",
                        birth=person.birth_date.isoformat(),
                        date=on.isoformat(),
                    )
                )
            else:
                age = age_on(person.birth_date, on)
                key = (rule.pk, age, on)
                if key not in ctx.memo:
                    ctx.memo[key] = _result(
                        rule,
                        age >= rule.min_age,
                        "age_ok" if age >= rule.min_age else "age_under",
                        age=age,
                        minimum=rule.min_age,
                        date=on.isoformat(),
                    )
                results.append(ctx.memo[key])
        elif rule.kind == Kind.TARGET_GROUP:
            key = (rule.pk, "group", target_group.pk if target_group is not None else None)
            if key not in ctx.memo:
                ctx.memo[key] = _group(ctx, rule, target_group)
            results.append(ctx.memo[key])
    return results


def is_eligible(results: list[dict]) -> bool:
    return all(r["passed"] for r in results)


def explain(result: dict) -> str:
    """The reason of one verdict, in the active language."""
    params = dict(result.get("params", {}))
    for name in ("date", "birth"):
        if name in params:
            params[name] = formats.date_format(datetime.date.fromisoformat(params[name]), "d.m.Y")
    messages = {
        "area_inside": _("The gmina %(gmina)s, %(county)s, lies within the project's area."),
        "area_outside": _(
            "The gmina %(gmina)s, %(county)s, lies outside the project's area (%(counties)s)."
        ),
        "area_missing": _("No gmina of residence or seat is given."),
        "age_ok": _(
            "Age on the day of application (%(date)s): %(age)s; the minimum is %(minimum)s."
        ),
        "age_under": _(
            "Age on the day of application (%(date)s): %(age)s, below the minimum of %(minimum)s."
        ),
        "age_not_applicable": _("The age limit does not apply to institutions."),
        "born_after": _(
            "The birth date (%(birth)s) is later than the day of application (%(date)s): "
            "check the birth date."
        ),
        "group_ok": _("Declared target group: %(group)s"),
        "group_missing": _("No target group is declared."),
        "group_not_admitted": _("The declared target group is not admitted: %(group)s"),
    }
    return messages[result["code"]] % params


def points(ctx: Context, *, person=None, institution=None, on: datetime.date) -> list[tuple]:
    """(criterion, points) for each criterion the applicant meets."""
    met = []
    for criterion in ctx.criteria:
        if _meets(criterion.kind, person, institution, on):
            met.append((criterion, criterion.points))
    return met


def score(ctx: Context, *, person=None, institution=None, on: datetime.date) -> int:
    return sum(p for _, p in points(ctx, person=person, institution=institution, on=on))


LOW_EDUCATION = {Education.BELOW_PRIMARY, Education.PRIMARY, Education.LOWER_SECONDARY}
UNEMPLOYED = {LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.UNEMPLOYED_UNREGISTERED}


def _meets(kind: str, person, institution, on: datetime.date) -> bool:
    if kind == Criterion.SOCIAL_ECONOMY:
        return institution is not None and institution.kind == "social_economy"
    if kind == Criterion.RURAL:
        subject = person or institution
        return subject.gmina is not None and subject.gmina.is_rural is True
    if person is None:
        return False
    if kind == Criterion.UNEMPLOYED:
        return person.labour_status in UNEMPLOYED
    if kind == Criterion.LONG_TERM_UNEMPLOYED:
        return person.labour_detail == LabourDetail.LONG_TERM_UNEMPLOYED
    if kind == Criterion.INACTIVE:
        return person.labour_status == LabourStatus.INACTIVE
    if kind == Criterion.WOMAN:
        return person.sex == "K"
    if kind == Criterion.DISABILITY:
        return person.disability == "yes"
    if kind == Criterion.AGE_50_PLUS:
        return age_on(person.birth_date, on) >= 50
    if kind == Criterion.LOW_EDUCATION:
        return person.education in LOW_EDUCATION
    raise ValueError(kind)


def check(application, ctx: Context | None = None, *, on=None):
    """Fill the application's eligibility verdicts and score (not saved)."""
    ctx = ctx or context_for(application.project)
    on = on or timezone.localdate(application.submitted_at)
    applicant = {"person": application.person, "institution": application.institution}
    application.eligibility = evaluate(
        ctx, target_group=application.target_group, on=on, **applicant
    )
    application.is_eligible = is_eligible(application.eligibility)
    application.score = score(ctx, on=on, **applicant)
    return application


def refusals(project, *, person=None, institution=None, target_group=None, on) -> list[dict]:
    """The failed verdicts for a would-be applicant (the public form refuses on any)."""
    ctx = context_for(project)
    results = evaluate(
        ctx, person=person, institution=institution, target_group=target_group, on=on
    )
    return [r for r in results if not r["passed"]]
