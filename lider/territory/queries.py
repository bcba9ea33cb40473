"""Reading administrative units."""

import datetime

from lider.territory.models import Unit


def unit_by_code(code: str, *, on: datetime.date | None = None) -> Unit | None:
    """The unit with this TERC code in the register in force on `on` (default: the newest).

    For a date before the oldest stored register, the oldest one is the best evidence there is.
    """
    units = Unit.objects.filter(code=code).select_related("parent")
    if on is not None:
        in_force = units.filter(reference_date__lte=on).order_by("-reference_date").first()
        return in_force or units.order_by("reference_date").first()
    return units.order_by("-reference_date").first()


def gminas_in(counties) -> "list[Unit]":
    """Gminas a person can live in, within the given counties, by name.

    An urban-rural gmina is offered as its two parts (town, rural area), because urban or
    rural residence is a monitoring attribute and only the part decides it.
    """
    return list(
        Unit.objects.filter(parent__in=counties, level=Unit.Level.GMINA)
        .exclude(gmina_type=Unit.GminaType.URBAN_RURAL)
        .select_related("parent")
        .order_by("name", "gmina_type")
    )
