"""Administrative units of Poland from the GUS TERC register."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from lider.core import collation


class Unit(models.Model):
    """A voivodeship, county or gmina as the TERC register lists it on one reference date.

    TERC codes are not stable over time (a gmina that gains a town changes its type digit and
    so its code), so a unit is identified by its code *and* the register's reference date.
    """

    class Level(models.TextChoices):
        VOIVODESHIP = "voivodeship", _("voivodeship")
        COUNTY = "county", _("county")
        GMINA = "gmina", _("gmina")

    class GminaType(models.TextChoices):
        URBAN = "1", _("urban gmina")
        RURAL = "2", _("rural gmina")
        URBAN_RURAL = "3", _("urban-rural gmina")
        TOWN_PART = "4", _("town in an urban-rural gmina")
        RURAL_PART = "5", _("rural area of an urban-rural gmina")
        DISTRICT = "8", _("district of Warsaw")
        DELEGATION = "9", _("city delegation")

    code = models.CharField(_("TERC code"), max_length=7)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    gmina_type = models.CharField(
        _("gmina type"), max_length=1, choices=GminaType.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=100, db_collation=collation.NAME)
    description = models.CharField(_("register description"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    reference_date = models.DateField(_("register reference date"))

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "reference_date"], name="unit_code_date_unique"
            ),
        ]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        if self.level == self.Level.COUNTY:
            return self.county_label
        if self.level == self.Level.GMINA:
            return f"{self.name} ({self.get_gmina_type_display()})"
        return self.name

    @property
    def is_city_county(self) -> bool:
        """Cities with county rights have county codes of 61 and above."""
        return self.level == self.Level.COUNTY and int(self.code[2:4]) >= 61

    @property
    def county_label(self) -> str:
        """'powiat częstochowski (ziemski)', or 'Częstochowa (powiat grodzki)' for a city."""
        if self.is_city_county:
            return pgettext("administrative unit", "%(name)s (city county)") % {"name": self.name}
        return pgettext("administrative unit", "%(name)s county (rural)") % {"name": self.name}

    @property
    def is_rural(self) -> bool | None:
        """Urban or rural area by the GUS definition.

        None where the unit does not decide it: an urban-rural gmina as a whole (its town part
        is urban, its rural part rural) and any unit above a gmina.
        """
        if self.level != self.Level.GMINA or self.gmina_type == self.GminaType.URBAN_RURAL:
            return None
        return self.gmina_type in {self.GminaType.RURAL, self.GminaType.RURAL_PART}


class Urbanisation(models.Model):
    """The degree of urbanisation (Eurostat DEGURBA) of a gmina in one edition.

    Keyed by the gmina's TERC code without its type digit (Eurostat classifies whole gminas:
    the town and rural parts of an urban-rural gmina take its class), so the value survives a
    gmina's change of type. Each value keeps its edition; newer editions are loaded beside the
    older ones, never over them, because an export states the class in force for its data.
    """

    class Degree(models.TextChoices):
        CITY = "1", _("densely populated area (city)")
        TOWN = "2", _("intermediate density area (town or suburb)")
        RURAL = "3", _("thinly populated area (rural)")

    gmina_code = models.CharField(_("gmina TERC code (without type)"), max_length=6)
    edition = models.PositiveSmallIntegerField(_("edition (year)"))
    degree = models.CharField(_("DEGURBA"), max_length=1, choices=Degree.choices)

    class Meta:
        verbose_name = _("degree of urbanisation")
        verbose_name_plural = _("degrees of urbanisation")
        constraints = [
            models.UniqueConstraint(
                fields=["gmina_code", "edition"], name="urbanisation_gmina_edition_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gmina_code} ({self.edition}): {self.degree}"
