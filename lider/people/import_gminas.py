"""Finding the gmina a row of the people import names: by TERC code or by name, within the
project's area. The register is loaded once per file, as plain values."""

from django.utils.translation import gettext as _

from lider.people.import_columns import key
from lider.territory.models import Unit

PART_NAMES = {Unit.GminaType.TOWN_PART: "miasto", Unit.GminaType.RURAL_PART: "obszar wiejski"}


class Gminas:
    """Gminas of the register by TERC code and (built at the first need) by name key."""

    def __init__(self, gminas):
        self.rows = list(gminas)  # (pk, code, name, gmina type, county pk)
        self.by_code = {row[1]: row for row in self.rows}
        self._by_name = None

    @property
    def by_name(self) -> dict:
        if self._by_name is None:
            self._by_name = {}
            for row in self.rows:
                self._by_name.setdefault(key(row[2]), []).append(row)
                part = PART_NAMES.get(row[3])
                if part:
                    self._by_name.setdefault(key(f"{row[2]} {part}"), []).append(row)
        return self._by_name

    def find(self, value: str, county_ids: set[int]):
        """(pk of the one gmina in the area, None) or (None, the reason there is none)."""
        unit = self.by_code.get(value) if value.isascii() and value.isdigit() else None
        candidates = [unit] if unit else self.by_name.get(key(value), [])
        inside = [u for u in candidates if u[4] in county_ids]
        if len(inside) == 1:
            return inside[0][0], None
        if len(inside) > 1:
            return None, _(
                "There are several gminas called %(name)s in the project's area: "
                "give the TERC code."
            ) % {"name": value}
        if candidates:
            return None, _("The gmina %(name)s lies outside the project's area.") % {"name": value}
        return None, _("No gmina has this TERC code or name: %(value)s.") % {"value": value}


def register_gminas():
    """Gminas of the newest register as (pk, code, name, gmina type, county pk), in one query.

    Plain values: the check needs no more, and only the gminas people live in are loaded as
    units (with their counties) once the file is checked.
    """
    newest = Unit.objects.order_by("-reference_date").values_list("reference_date", flat=True)[:1]
    return (
        Unit.objects.filter(level=Unit.Level.GMINA, reference_date__in=newest)
        .exclude(gmina_type=Unit.GminaType.URBAN_RURAL)
        .values_list("pk", "code", "name", "gmina_type", "parent_id")
    )
