"""Indicators of a project's specific goals, and snapshots of their values at reporting dates."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lider.reporting import measures


class Indicator(models.Model):
    """A product or result indicator, measured declaratively: a measure key and its params."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        RESULT = "result", _("result")

    goal = models.ForeignKey(
        "projects.SpecificGoal",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("specific goal"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=30)
    target_total = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_women = models.DecimalField(
        _("target for women"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_men = models.DecimalField(
        _("target for men"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    measure = models.CharField(_("measurement"), max_length=60, choices=measures.choices())
    params = models.JSONField(_("parameters of the measure"), default=dict, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal__order", "goal_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_women__isnull=True)
                | Q(target_men__isnull=True)
                | Q(target_total=F("target_women") + F("target_men")),
                name="indicator_target_split_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(target_women__isnull=True, target_men__isnull=True)
                | Q(target_women__isnull=False, target_men__isnull=False),
                name="indicator_target_split_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_project_id(self) -> int:
        return self.goal.project_id

    def get_measure(self) -> measures.Measure:
        return measures.get(self.measure)

    def clean(self) -> None:
        if (self.target_women is None) != (self.target_men is None):
            raise ValidationError(
                _("Give the target for women and for men, or neither."), code="target_split"
            )
        if self.target_women is not None and self.target_women + self.target_men != (
            self.target_total
        ):
            raise ValidationError(
                _("The targets for women and men must add up to the target."),
                code="target_split",
            )
        if self.measure in measures.REGISTRY and self.goal_id:
            self.get_measure().validate(self.goal.project, self.params)


class Snapshot(models.Model):
    """Indicator values frozen at a reporting date, with the ids of the records behind them."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="indicator_snapshots"
    )
    reporting_date = models.DateField(_("reporting date"))
    period_start = models.DateField(_("start of the period"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-reporting_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "reporting_date"], name="snapshot_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.reporting_date:%d.%m.%Y}"


class SnapshotValue(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    women = models.DecimalField(_("women"), max_digits=12, decimal_places=2, null=True)
    men = models.DecimalField(_("men"), max_digits=12, decimal_places=2, null=True)
    period_total = models.DecimalField(
        _("value in the period"), max_digits=12, decimal_places=2, null=True
    )
    period_women = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    period_men = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    by_county = models.JSONField(_("by county"), default=dict)
    record_model = models.CharField(max_length=60)
    record_ids = models.JSONField(_("records behind the value"), default=list)

    class Meta:
        verbose_name = _("snapshot value")
        verbose_name_plural = _("snapshot values")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "indicator"], name="snapshot_value_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.total}"


class MeasureTotal(models.Model):
    """A pre-aggregated value: what one measure (with its parameters) counts in one project on
    one day, in one county, for one sex — records, or minutes for hours.

    The indicators' dashboard, the public results page and the roll-up add these rows up for
    any period instead of counting the records again; each record has one day, one county and
    one sex, so the sums equal `measures.compute`. Only `lider.reporting.totals` writes them: it
    rebuilds a project's rows in the worker after a change marked them stale
    (`TotalsState`), and `lider rebuild_aggregates` rebuilds them all."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=200)  # the measure's key and parameters (totals.series)
    day = models.DateField(null=True)  # the record's date; null: not dated (yet)
    county = models.CharField(max_length=7, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    amount = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["project", "series", "day"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.series} {self.day}: {self.amount}"


class TotalsState(models.Model):
    """Whether a project's `MeasureTotal` rows are current.

    Lifecycle: a change to a record a measure counts gives `changed` a new token when its
    transaction commits (`lider.reporting.freshness`) and queues a rebuild; the worker's rebuild
    reads the token, computes the rows, and stores them with `built` = that token. The rows are
    current while `built == changed`; otherwise readers compute from the records, as before.
    `series` lists the series the rows hold."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    changed = models.UUIDField(default=uuid.uuid4)
    built = models.UUIDField(null=True)
    built_at = models.DateTimeField(null=True)
    series = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.project_id}: {'current' if self.built == self.changed else 'stale'}"
