"""The programme tree a project is classified in, and the organisations a card names."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.projects.identifiers import clean_organisation_identifiers


class ProgrammeNode(models.Model):
    """One level of a funding programme's tree: programme → priority → measure → sub-measure."""

    class Level(models.TextChoices):
        PROGRAMME = "programme", _("programme")
        PRIORITY = "priority", _("priority")
        MEASURE = "measure", _("measure")
        SUBMEASURE = "submeasure", _("sub-measure")

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("programme classification")
        verbose_name_plural = _("programme classification")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="programme_node_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As Polish documents write it: 'VII. Promocja …' for a priority, '7.2 …' below it."""
        separator = ". " if self.level == self.Level.PRIORITY else " "
        return f"{self.code}{separator}{self.name}"

    def lineage(self) -> "list[ProgrammeNode]":
        """This node and its ancestors, the programme first."""
        node, chain = self, []
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class Organisation(models.Model):
    """An applicant, partner, funding institution or other body named on a project card."""

    name = models.CharField(_("name"), max_length=300)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    seat = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat (gmina)"),
        limit_choices_to={"level": "gmina"},
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        clean_organisation_identifiers(self, errors)
        if errors:
            raise ValidationError(errors)
