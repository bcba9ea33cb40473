"""The roll-up: figures over every project a user may see, in a constant number of queries.

Each figure is one grouped query over all the projects at once (participants by project, sex,
county and labour-market status; valid certificates by project; founded entities by project;
indicators by measure, see `indicators`), never a loop over projects. What a filter means:

- programme: projects classified under the chosen node (programme, priority, measure);
- period: projects running at some time in it, and records dated in it — participants by the
  start of their participation, certificates by their issue date, entities by their
  registration date; indicators are counted up to the period's end;
- county: projects working in the county, and participants living in it (the county of their
  gmina), certificates of those participants, entities seated in it; indicators stay the
  project's whole (their targets are not set per county).

At risk: a project whose indicators are behind its calendar. Its progress is the mean of its
indicators' attainment (value against target, each capped at 100 %); the elapsed share is the
part of its period gone by the reference day (today, or the period's end when it is earlier).
It is at risk when the progress is more than `RISK_MARGIN` points below the elapsed share.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lider.core.access import is_installation_administrator
from lider.core.permissions import allows
from lider.people.models import Answer, LabourStatus, Participant, Sex
from lider.projects.models import Membership, Project
from lider.reporting import measures, totals
from lider.reporting.measures import Period
from lider.reporting.models import Indicator
from lider.reporting.rollup.indicators import indicator_totals

# Points of progress a project may lag behind its elapsed time before it is flagged.
RISK_MARGIN = Decimal(20)


@dataclass(frozen=True)
class Filters:
    programme: int | None = None  # a ProgrammeNode id
    start: datetime.date | None = None
    end: datetime.date | None = None
    county: str | None = None  # a county's TERC code

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


@dataclass
class ProjectRow:
    project: Project
    roles: frozenset
    participants: int = 0
    women: int = 0
    men: int = 0
    certificates: int = 0
    entities: int = 0
    indicators: list = field(default_factory=list)  # (Indicator, value, attainment %)
    progress: Decimal | None = None  # mean attainment, capped at 100 each
    elapsed: Decimal | None = None  # share of the project's period gone by
    at_risk: bool = False

    @property
    def opens_dashboard(self) -> bool:
        """Drill-down goes to the project's dashboard where the roles allow it, else its card."""
        return allows(self.roles, "reporting.view")

    @property
    def opens_card(self) -> bool:
        """An installation administrator sees projects where they hold no role: no link."""
        return allows(self.roles, "project.view")

    @property
    def behind(self) -> Decimal | None:
        if self.progress is None or self.elapsed is None:
            return None
        return self.elapsed - self.progress


@dataclass
class Rollup:
    filters: Filters
    rows: list[ProjectRow]
    reference_day: datetime.date
    by_sex: dict[str, int]
    by_county: dict[str, int]
    by_status: dict[str, int]
    disabled: int | None  # None: the user may not see special-category data of every project
    measures: list[dict]  # per measure kind: indicators, summed target and value

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.rows)

    @property
    def certificates(self) -> int:
        return sum(row.certificates for row in self.rows)

    @property
    def entities(self) -> int:
        return sum(row.entities for row in self.rows)

    @property
    def at_risk(self) -> list[ProjectRow]:
        return [row for row in self.rows if row.at_risk]


def visible_roles(user) -> dict[int, frozenset]:
    """project id → the user's roles there, for projects whose roll-up the user may see.

    An administrator of the installation sees every project of the installation, with the
    roles they hold in each (none in most): the figures only — each project's own pages, and
    special-category counts, still follow their roles there."""
    if not user.is_authenticated or not user.is_active:
        return {}
    roles = defaultdict(set)
    for project_id, role in Membership.objects.filter(user=user).values_list("project_id", "role"):
        roles[project_id].add(role)
    visible = {pk: frozenset(held) for pk, held in roles.items() if allows(held, "rollup.view")}
    if is_installation_administrator(user):
        for pk in Project.objects.values_list("pk", flat=True):
            visible.setdefault(pk, frozenset(roles.get(pk, ())))
    return visible


def programme_q(node_id: int) -> Q:
    """Projects classified at the node or below it (the tree is four levels deep)."""
    path, q = "classification", Q()
    for _level in range(4):
        q |= Q(**{f"{path}_id": node_id})
        path += "__parent"
    return q


def selected_projects(project_ids, filters: Filters):
    projects = Project.objects.filter(pk__in=project_ids)
    if filters.programme:
        projects = projects.filter(programme_q(filters.programme))
    if filters.start:
        projects = projects.filter(end_date__gte=filters.start)
    if filters.end:
        projects = projects.filter(start_date__lte=filters.end)
    if filters.county:
        projects = projects.filter(counties__code=filters.county)
    return projects.select_related("classification").distinct().order_by("-start_date", "title")


def rollup(user, filters: Filters, *, roles=None, today: datetime.date | None = None) -> Rollup:
    """The roll-up for `user` (`roles`: their `visible_roles`, when already read)."""
    roles = visible_roles(user) if roles is None else roles
    projects = list(selected_projects(roles, filters))
    ids = [project.pk for project in projects]
    rows = {p.pk: ProjectRow(project=p, roles=roles[p.pk]) for p in projects}
    # Special categories (disability) only when the user may see them in every project shown.
    reveal = bool(rows) and all(allows(r.roles, "personal.view_sensitive") for r in rows.values())
    by_sex, by_county, by_status = defaultdict(int), defaultdict(int), defaultdict(int)
    # Projects whose pre-aggregated totals are current are read from them, the others counted
    # from the records (lider.reporting.totals): the same figures either way.
    held = totals.current(ids) if ids else {}
    read = [pk for pk in ids if totals.PARTICIPANTS in held.get(pk, ())]
    counted = [pk for pk in ids if pk not in set(read)]
    people, disabled = totals.participants_of(read, filters.period, filters.county, reveal=reveal)
    for pk, sex, county, status, n, n_disabled in _participant_rows(counted, filters, reveal):
        people.append((pk, sex, county, status, n))
        disabled += n_disabled
    for pk, sex, county, status, n in people:
        row = rows[pk]
        row.participants += n
        row.women += n if sex == Sex.FEMALE else 0
        row.men += n if sex == Sex.MALE else 0
        by_sex[sex] += n
        by_county[county] += n
        by_status[status] += n
    certificates = totals.issued_certificates_of(read, filters.period, filters.county)
    for pk, n in [*certificates, *_certificate_counts(counted, filters)]:
        rows[pk].certificates = n
    for pk, n in _entity_counts(ids, filters):
        rows[pk].entities = n
    reference = min(today or timezone.localdate(), filters.end or datetime.date.max)
    kinds = _indicators(rows, ids, filters, held)
    for row in rows.values():
        _assess(row, reference)
    return Rollup(
        filters=filters,
        rows=list(rows.values()),
        reference_day=reference,
        by_sex=dict(by_sex),
        by_county=dict(sorted(by_county.items())),
        by_status={s: by_status[s] for s in ["", *LabourStatus.values] if by_status.get(s)},
        disabled=disabled if reveal else None,
        measures=kinds,
    )


def _participant_rows(ids, filters: Filters, reveal: bool):
    """(project, sex, county, labour status, people, people with disabilities) — one query."""
    county = Coalesce("person__gmina__parent__code", Value(""))
    queryset = Participant.objects.filter(
        Q(project_id__in=ids, person__isnull=False) & filters.period.lookup("start_date")
    ).annotate(_county=county)
    if filters.county:
        queryset = queryset.filter(_county=filters.county)
    # The special-category count is not even computed for a user who may not see it.
    disabled = Count("pk", filter=Q(person__disability=Answer.YES)) if reveal else Value(0)
    return (
        queryset.values_list("project_id", "person__sex", "_county", "person__labour_status")
        .annotate(n=Count("pk"), n_disabled=disabled)
        .order_by()
    )


def _certificate_counts(ids, filters: Filters):
    if not apps.is_installed("lider.certification"):
        return []
    certificate = apps.get_model("certification", "Certificate")
    q = Q(project_id__in=ids, status="issued") & filters.period.lookup("issued_on")
    if filters.county:
        q &= Q(participant__person__gmina__parent__code=filters.county)
    return (
        certificate.objects.filter(q).values_list("project_id").annotate(n=Count("pk")).order_by()
    )


def _entity_counts(ids, filters: Filters):
    entity = apps.get_model("outcomes", "FoundedEntity")
    q = Q(project_id__in=ids) & filters.period.lookup("registration_date")
    if filters.county:
        q &= Q(seat__parent__code=filters.county)
    return entity.objects.filter(q).values_list("project_id").annotate(n=Count("pk")).order_by()


def _indicators(rows, ids, filters: Filters, held) -> list[dict]:
    """Each project's indicators with value and attainment (cumulative up to the period's
    end), and per measure kind the summed targets and values (shares left out: a sum of
    percentages means nothing)."""
    indicators = list(
        Indicator.objects.filter(goal__project_id__in=ids)
        .select_related("goal__project")
        .order_by("goal__project_id", "goal__order", "order", "pk")
    )
    values = indicator_totals(indicators, ids, Period(end=filters.end), held=held)
    kinds: dict[str, dict] = {}
    for indicator in indicators:
        if indicator.pk not in values:
            continue
        value = values[indicator.pk]
        attainment = measures.percent(value, indicator.target_total)
        rows[indicator.goal.project_id].indicators.append((indicator, value, attainment))
        measure = indicator.get_measure()
        if measure.share_of:
            continue
        kind = kinds.setdefault(
            measure.key,
            {"label": measure.label, "indicators": 0, "target": Decimal(0), "value": Decimal(0)},
        )
        kind["indicators"] += 1
        kind["target"] += indicator.target_total
        kind["value"] += value
    for kind in kinds.values():
        kind["attainment"] = measures.percent(kind["value"], kind["target"])
    return list(kinds.values())


def _assess(row: ProjectRow, reference: datetime.date) -> None:
    project = row.project
    if row.indicators:
        capped = [min(attainment, Decimal(100)) for _i, _v, attainment in row.indicators]
        row.progress = (sum(capped) / len(capped)).quantize(Decimal("1"))
    if reference < project.start_date:
        row.elapsed = Decimal(0)
    else:
        length = (project.end_date - project.start_date).days or 1
        gone = min((reference - project.start_date).days, length)
        row.elapsed = measures.percent(gone, length)
    row.at_risk = row.behind is not None and row.behind > RISK_MARGIN
