"""The project's hours unit: the one definition of how long an hour of support is.

A project states whether its hours are teaching hours (godziny dydaktyczne, 45 minutes) or
clock hours (godziny zegarowe, 60 minutes). Attendance shares, completion facts, certificates,
indicators, the progress report and the exports convert minutes with :func:`hours` and say
which unit they use with :func:`label` (a column header) or :func:`count_label` ("Number of
…" on a certificate). Nothing else in Lider knows the number 45.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class HoursUnit(models.TextChoices):
    TEACHING = "teaching", _("teaching hours (45 min)")
    CLOCK = "clock", _("clock hours (60 min)")


MINUTES = {HoursUnit.TEACHING: 45, HoursUnit.CLOCK: 60}
DEFAULT = HoursUnit.TEACHING

COUNT_LABELS = {
    HoursUnit.TEACHING: _("Number of teaching hours (45 min)"),
    HoursUnit.CLOCK: _("Number of clock hours (60 min)"),
}


def minutes_per_hour(unit: str) -> int:
    return MINUTES[HoursUnit(unit or DEFAULT)]


def hours(minutes, unit: str) -> Decimal:
    """``minutes`` in the unit's hours, to the hundredth."""
    return (Decimal(minutes or 0) / minutes_per_hour(unit)).quantize(Decimal("0.01"))


def label(unit: str) -> str:
    """ "teaching hours (45 min)" / "clock hours (60 min)", in the active language."""
    return str(HoursUnit(unit or DEFAULT).label)


def count_label(unit: str) -> str:
    """ "Number of teaching hours (45 min)" / "Number of clock hours (60 min)"."""
    return str(COUNT_LABELS[HoursUnit(unit or DEFAULT)])


def minutes_per_hour_of(unit_path: str) -> models.Expression:
    """Minutes per hour of the unit stored at ``unit_path`` (e.g. "project__hours_unit"), as a
    database expression: a query converts each project's minutes in its own unit."""
    return models.Case(
        *(
            models.When(**{unit_path: unit}, then=models.Value(float(n)))
            for unit, n in MINUTES.items()
        ),
        default=models.Value(float(MINUTES[DEFAULT])),
        output_field=models.FloatField(),
    )
