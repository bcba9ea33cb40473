"""Outcomes of a project: social-economy entities founded with its support."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.people.models import Institution
from lider.projects.identifiers import clean_organisation_identifiers

# The legal forms a founded social-economy entity can take (a subset of the institutions').
LEGAL_FORMS = [
    choice
    for choice in Institution.LegalForm.choices
    if choice[0] not in {Institution.LegalForm.PUBLIC_UNIT}
]


class FoundedEntityQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project)


class FoundedEntity(models.Model):
    """An entity that participants founded with the project's support.

    Its identity is checked against the KRS extract (``verification = krs``, on
    ``verified_on``) or, when the register cannot answer, confirmed by a person who looked at
    the extract themselves (``verification = manual``, ``confirmed_by`` on ``verified_on``).
    """

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("not verified")
        KRS = "krs", _("verified from KRS")
        MANUAL = "manual", _("entered manually and confirmed")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="founded_entities"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LEGAL_FORMS)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    seat = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat (gmina)"),
        limit_choices_to={"level": "gmina"},
    )
    city = models.CharField(_("city or village"), max_length=100, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    founders = models.ManyToManyField(
        "people.Participant",
        blank=True,
        related_name="founded_entities",
        verbose_name=_("founders"),
    )
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("Documents that show the project's part in founding the entity."),
    )
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    krs_name = models.CharField(_("name in KRS"), max_length=300, blank=True)
    krs_legal_form = models.CharField(_("legal form in KRS"), max_length=100, blank=True)

    objects = FoundedEntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("founded entity")
        verbose_name_plural = _("founded entities")
        ordering = ["order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "krs"],
                condition=~models.Q(krs=""),
                name="founded_entity_krs_once",
            ),
            models.CheckConstraint(
                condition=models.Q(verification="unverified") | models.Q(verified_on__isnull=False),
                name="founded_entity_verified_on",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification="manual") | models.Q(confirmed_by__isnull=False),
                name="founded_entity_manual_confirmed_by",
            ),
            models.CheckConstraint(
                condition=models.Q(krs="") | models.Q(krs__regex=r"^[0-9]{10}$"),
                name="founded_entity_krs_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def krs_label(self) -> str:
        """'KRS 0000380128' as the register writes it, or ''."""
        return f"KRS {self.krs}" if self.krs else ""

    def clean(self) -> None:
        errors = {}
        clean_organisation_identifiers(self, errors)
        if errors:
            raise ValidationError(errors)
