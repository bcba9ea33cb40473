"""The breakdowns a payment claim asks for (PO KL Załącznik 2, SL2014 payment claims), for the
progress report: participants who started in a period, women and men, by labour-market status,
age on the start day (15–24, 55–64), education (the SL2014 dictionary's ISCED groups) and
disadvantaged groups; institutions that started, by type; founded entities in the period they
were registered, by legal form. Every figure is counted in the database, in one query per
table, in the period and cumulatively (up to the period's end).

Disadvantaged groups are special-category data (disability, minority or migrant background,
homelessness): a role without ``personal.view_sensitive`` gets no figure at all, only a line
saying they are hidden (a count of few people can identify them).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lider.core.documents import ReportTable
from lider.outcomes.models import LEGAL_FORMS, FoundedEntity
from lider.people.models import Answer, Education, Institution, LabourStatus, Participant, Sex

SEXES = ("total", "women", "men")
SCOPES = ("period", "cumulative")
# Age groups of the payment claim, in whole years on the day participation started.
AGE_GROUPS = ((15, 24), (55, 64))
AGED = _("aged {low}–{high}")
DISADVANTAGED = (
    ("disability", _("people with disabilities")),
    ("minority_or_migrant", _("national or ethnic minority, migrants, people of foreign origin")),
    ("homeless", _("homeless or excluded from housing")),
    ("other_disadvantage", _("other disadvantaged people")),
)


@dataclass(frozen=True)
class Line:
    """One row: a label and its counts, ``counts[scope][sex]``; None counts mean hidden."""

    label: object  # a lazy translation: made text under the document's language
    counts: dict | None


@dataclass(frozen=True)
class Breakdown:
    labour: list[Line]
    age: list[Line]
    education: list[Line]
    disadvantaged: list[Line]
    institutions: list[Line]
    entities: list[Line]  # counts[scope]["total"] only: an entity has no sex
    sensitive: bool


def _age_on_start():
    """Whole years from the birth day to the start of participation, in the database."""
    birthday_later = Q(_start_month__lt=F("_birth_month")) | Q(
        _start_month=F("_birth_month"), _start_day__lt=F("_birth_day")
    )
    return {
        "_start_month": ExtractMonth("start_date"),
        "_start_day": ExtractDay("start_date"),
        "_birth_month": ExtractMonth("person__birth_date"),
        "_birth_day": ExtractDay("person__birth_date"),
    }, (
        ExtractYear("start_date")
        - ExtractYear("person__birth_date")
        - Case(When(birthday_later, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _counts(queryset, conditions: dict, start, end, *, sex_path="person__sex") -> dict:
    """{key: {scope: {sex: n}}} in one aggregate query."""
    scopes = {
        "period": Q(start_date__range=(start, end)),
        "cumulative": Q(start_date__lte=end),
    }
    sexes = {"total": Q(), "women": Q(**{sex_path: Sex.FEMALE}), "men": Q(**{sex_path: Sex.MALE})}
    aggregates = {
        f"{key}__{scope}__{sex}": Count("pk", filter=condition & scopes[scope] & sexes[sex])
        for key, condition in conditions.items()
        for scope in SCOPES
        for sex in SEXES
    }
    row = queryset.aggregate(**aggregates) if aggregates else {}
    return {
        key: {scope: {sex: row[f"{key}__{scope}__{sex}"] for sex in SEXES} for scope in SCOPES}
        for key in conditions
    }


def breakdown(project, start: datetime.date, end: datetime.date, *, sensitive: bool) -> Breakdown:
    people = Participant.objects.filter(
        project=project, person__isnull=False, start_date__isnull=False
    )
    fields, age = _age_on_start()
    people = people.annotate(**fields).annotate(_age=age)
    conditions = {f"labour_{s.value}": Q(person__labour_status=s.value) for s in LabourStatus}
    conditions["labour_none"] = Q(person__labour_status="")
    for low, high in AGE_GROUPS:
        conditions[f"age_{low}"] = Q(_age__gte=low, _age__lte=high)
    for level in Education:
        conditions[f"education_{level.value}"] = Q(person__education=level.value)
    conditions["education_none"] = Q(person__education="")
    if sensitive:
        for field, _label in DISADVANTAGED:
            conditions[f"flag_{field}"] = Q(**{f"person__{field}": Answer.YES})
    counts = _counts(people, conditions, start, end)

    labour = [Line(s.label, counts[f"labour_{s.value}"]) for s in LabourStatus]
    labour.append(Line(_("not stated"), counts["labour_none"]))
    ages = [
        Line(format_lazy(AGED, low=low, high=high), counts[f"age_{low}"])
        for low, high in AGE_GROUPS
    ]
    education = [Line(level.label, counts[f"education_{level.value}"]) for level in Education]
    education.append(Line(_("not stated"), counts["education_none"]))
    if sensitive:
        flags = [Line(label, counts[f"flag_{field}"]) for field, label in DISADVANTAGED]
    else:
        flags = [Line(_("hidden: special-category data, which your role may not see"), None)]
    return Breakdown(
        labour=labour,
        age=ages,
        education=education,
        disadvantaged=flags,
        institutions=_institutions(project, start, end),
        entities=_entities(project, start, end),
        sensitive=sensitive,
    )


def _institutions(project, start, end) -> list[Line]:
    """Institutions supported as participants that started in the period, by type."""
    institutions = Participant.objects.filter(project=project, institution__isnull=False)
    aggregates = {}
    for kind in Institution.Kind:
        aggregates[f"{kind.value}__period"] = Count(
            "pk", filter=Q(institution__kind=kind.value, start_date__range=(start, end))
        )
        aggregates[f"{kind.value}__cumulative"] = Count(
            "pk", filter=Q(institution__kind=kind.value, start_date__lte=end)
        )
    row = institutions.aggregate(**aggregates)
    return [
        Line(kind.label, {scope: {"total": row[f"{kind.value}__{scope}"]} for scope in SCOPES})
        for kind in Institution.Kind
    ]


def _entities(project, start, end) -> list[Line]:
    """Entities founded by participants, counted in the period they were registered."""
    entities = FoundedEntity.objects.filter(project=project, registration_date__isnull=False)
    aggregates = {}
    for form, _label in LEGAL_FORMS:
        aggregates[f"{form}__period"] = Count(
            "pk", filter=Q(legal_form=form, registration_date__range=(start, end))
        )
        aggregates[f"{form}__cumulative"] = Count(
            "pk", filter=Q(legal_form=form, registration_date__lte=end)
        )
    row = entities.aggregate(**aggregates)
    return [
        Line(label, {scope: {"total": row[f"{form}__{scope}"]} for scope in SCOPES})
        for form, label in LEGAL_FORMS
    ]


# Tables of the report (lider.core.documents.ReportTable): key → (sheet name, caption).
TABLES = {
    "labour": (_("Labour-market status"), _("Participants who started, by labour-market status")),
    "age": (_("Age"), _("Participants who started, by age on the day they started")),
    "education": (_("Education"), _("Participants who started, by education (ISCED)")),
    "disadvantaged": (
        _("Disadvantaged groups"),
        _("Participants who started, in disadvantaged groups"),
    ),
    "institutions": (_("Institutions"), _("Institutions that started, by type")),
    "entities": (
        _("Founded entities"),
        _("Entities founded, counted in the period they were registered"),
    ),
}


def _split_columns() -> list[str]:
    return [
        "",
        str(_("In the period")),
        str(_("women")),
        str(_("men")),
        str(_("Cumulative")),
        str(_("women")),
        str(_("men")),
    ]


def tables(b: Breakdown) -> dict[str, ReportTable]:
    """The breakdown as report tables, texts in the active language."""
    split = {
        key: ReportTable(
            columns=_split_columns(),
            rows=[
                [
                    str(line.label),
                    *(
                        line.counts[scope][sex] if line.counts else None
                        for scope in SCOPES
                        for sex in SEXES
                    ),
                ]
                for line in getattr(b, key)
            ],
            caption=str(TABLES[key][1]),
        )
        for key in ("labour", "age", "education", "disadvantaged")
    }
    totals = {
        key: ReportTable(
            columns=["", str(_("In the period")), str(_("Cumulative"))],
            rows=[
                [str(line.label), *(line.counts[scope]["total"] for scope in SCOPES)]
                for line in getattr(b, key)
            ],
            caption=str(TABLES[key][1]),
        )
        for key in ("institutions", "entities")
    }
    return {**split, **totals}


def sheet_names() -> dict[str, str]:
    return {key: str(name) for key, (name, _caption) in TABLES.items()}
