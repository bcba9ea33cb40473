"""Writes of reporting: defining a project's indicators, freezing their values at a reporting
date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.reporting import measures
from lider.reporting.measures import Period
from lider.reporting.models import Indicator, Snapshot, SnapshotValue
from lider.reporting.queries import indicator_values


def freeze_snapshot(
    project,
    *,
    actor,
    reporting_date: datetime.date,
    period_start: datetime.date | None = None,
    note: str = "",
    now=None,
) -> Snapshot:
    """Store every indicator's values up to ``reporting_date`` with the ids behind them."""
    if Snapshot.objects.filter(project=project, reporting_date=reporting_date).exists():
        raise ValidationError(
            _("A snapshot for this reporting date already exists."), code="snapshot_exists"
        )
    if period_start is not None and period_start > reporting_date:
        raise ValidationError(_("The period cannot start after the reporting date."), code="period")
    period = Period(start=period_start, end=reporting_date) if period_start else None
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            project=project,
            reporting_date=reporting_date,
            period_start=period_start,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=now or timezone.now(),
            note=note,
        )
        rows = []
        for value in indicator_values(project, period=period, until=reporting_date):
            indicator = value.indicator
            measure = indicator.get_measure()
            ids = sorted(
                measure.records(
                    project, indicator.params, measures.Period(end=reporting_date)
                ).values_list("pk", flat=True)
            )
            rows.append(
                SnapshotValue(
                    snapshot=snapshot,
                    indicator=indicator,
                    total=value.cumulative.total,
                    women=value.cumulative.women,
                    men=value.cumulative.men,
                    period_total=value.period.total if value.period else None,
                    period_women=value.period.women if value.period else None,
                    period_men=value.period.men if value.period else None,
                    by_county={k: str(v) for k, v in value.cumulative.by_county.items()},
                    record_model=measure.model,
                    record_ids=ids,
                )
            )
        SnapshotValue.objects.bulk_create(rows)
        audit.created(
            snapshot,
            actor=actor,
            note=audit.Note(gettext_lazy("indicator values frozen: %(count)s"), count=len(rows)),
        )
    return snapshot


# Indicators


def _check_indicator(indicator: Indicator, project) -> None:
    """The goal must be one of ``project``'s; then the model's own validation (the one the
    admin runs): targets, and the measure's parameters against the project."""
    if indicator.goal.project_id != project.pk:
        raise ValidationError(
            _("The specific goal belongs to another project."), code="goal_project"
        )
    indicator.full_clean()


def create_indicator(project, *, actor, **fields) -> Indicator:
    """A new indicator of one of the project's specific goals, last in its goal."""
    indicator = Indicator(**fields)
    _check_indicator(indicator, project)
    with transaction.atomic():
        last = Indicator.objects.filter(goal=indicator.goal).aggregate(n=Max("order"))["n"]
        indicator.order = (last or 0) + 1
        indicator.save()
        audit.created(indicator, actor=actor)
    return indicator


def update_indicator(indicator: Indicator, *, actor, **fields) -> Indicator:
    """Change an indicator's fields; it stays in its project (its goal may change)."""
    project = Indicator.objects.select_related("goal__project").get(pk=indicator.pk).goal.project
    with audit.tracking(indicator, actor=actor):
        for name, value in fields.items():
            setattr(indicator, name, value)
        _check_indicator(indicator, project)
        indicator.save(update_fields=list(fields))
    return indicator


def delete_indicator(indicator: Indicator, *, actor) -> None:
    """Delete an indicator, unless a snapshot keeps values of it (they must stay traceable)."""
    with transaction.atomic():
        if SnapshotValue.objects.filter(indicator=indicator).exists():
            raise ValidationError(
                _("Values of this indicator are frozen in a snapshot; it cannot be deleted."),
                code="in_snapshot",
            )
        audit.deleted(indicator, actor=actor)
        indicator.delete()
