"""People and institutions: the data subjects Lider holds, each with an address."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.core import collation
from lider.core.sensitive import mask_hidden, mask_identifier, mask_pesel
from lider.people.identifiers import (
    birth_date_from_pesel,
    normalise_pesel,
    normalise_postal_code,
    sex_from_pesel,
)
from lider.people.models.choices import Answer, Education, LabourDetail, LabourStatus, Sex
from lider.projects.identifiers import clean_organisation_identifiers


class Address(models.Model):
    """Address fields shared by people and institutions; the gmina comes from TERC."""

    street = models.CharField(_("street"), max_length=100, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    flat_number = models.CharField(_("flat number"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city or village"), max_length=100, blank=True)
    gmina = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gmina"),
        limit_choices_to={"level": "gmina"},
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True

    def clean_address(self, errors: dict) -> None:
        if self.postal_code:
            try:
                self.postal_code = normalise_postal_code(self.postal_code)
            except ValidationError as error:
                errors["postal_code"] = error

    @property
    def is_rural(self) -> bool | None:
        return self.gmina.is_rural if self.gmina_id else None


class Person(Address):
    first_name = models.CharField(_("first name"), max_length=100, db_collation=collation.NAME)
    last_name = models.CharField(_("last name"), max_length=100, db_collation=collation.NAME)
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True)
    other_document_type = models.CharField(
        _("other identity document"),
        max_length=50,
        blank=True,
        help_text=_("For a person without a PESEL: passport, residence card, …"),
    )
    other_document_number = models.CharField(_("document number"), max_length=50, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    labour_status = models.CharField(
        _("labour-market status"), max_length=30, choices=LabourStatus.choices, blank=True
    )
    labour_detail = models.CharField(
        _("of which"), max_length=30, choices=LabourDetail.choices, blank=True
    )
    cares_for_dependants = models.BooleanField(
        _("cares for children under 7 or a dependent person"), null=True, blank=True
    )
    disability = models.CharField(
        _("person with disabilities"), max_length=10, choices=Answer.choices, blank=True
    )
    minority_or_migrant = models.CharField(
        _("minority, migrant or of foreign origin"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    homeless = models.CharField(
        _("homeless or excluded from housing"),
        max_length=10,
        choices=Answer.choices[:2],
        blank=True,
    )
    other_disadvantage = models.CharField(
        _("in another disadvantaged social situation"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    user = models.OneToOneField(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    sensitive_fields = {
        "pesel": mask_pesel,
        "other_document_number": mask_identifier,
        "disability": mask_hidden,
        "minority_or_migrant": mask_hidden,
        "homeless": mask_hidden,
        "other_disadvantage": mask_hidden,
    }

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(pesel="") | ~models.Q(other_document_number=""),
                name="person_has_identifier",
            ),
        ]
        # Not unique: a person applying brings their own record, and whoever knows a PESEL
        # could claim it; the office links records that are the same person (see
        # recruitment's Application). A PESEL applies once per project.
        indexes = [
            models.Index(fields=["pesel"], name="person_pesel"),
            # Lists by name walk this index (in the columns' Polish collation) to their page
            # instead of sorting every person of a project (see people.queries).
            models.Index(fields=["last_name", "first_name", "id"], name="person_by_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def in_project(self, project_id: int) -> bool:
        from lider.people.queries import in_project  # queries reads these models

        return in_project(self, project_id)

    def clean(self) -> None:
        errors = {}
        if self.pesel:
            try:
                self.pesel = normalise_pesel(self.pesel)
            except ValidationError as error:
                errors["pesel"] = error
            else:
                self.birth_date = birth_date_from_pesel(self.pesel)
                self.sex = sex_from_pesel(self.pesel)
        elif not (self.other_document_type and self.other_document_number):
            errors["pesel"] = ValidationError(
                _("Enter a PESEL, or the type and number of another identity document."),
                code="identifier",
            )
        self.clean_address(errors)
        if errors:
            raise ValidationError(errors)


class Institution(Address):
    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association")
        FOUNDATION = "foundation", _("foundation")
        SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
        CIS = "cis", _("social integration centre (CIS)")
        KIS = "kis", _("social integration club (KIS)")
        ZAZ = "zaz", _("vocational activity establishment (ZAZ)")
        WTZ = "wtz", _("occupational therapy workshop (WTZ)")
        NONPROFIT_COMPANY = "nonprofit_company", _("non-profit company")
        PUBLIC_UNIT = "public_unit", _("public administration unit")
        OTHER = "other", _("other")

    class Kind(models.TextChoices):
        """Institution type, as the monitoring forms classify it."""

        SOCIAL_ECONOMY = "social_economy", _("social-economy entity")
        LABOUR_MARKET = "labour_market", _("labour-market institution")
        SOCIAL_ASSISTANCE = "social_assistance", _("social assistance and integration institution")
        PUBLIC_ADMINISTRATION = "public_administration", _("public administration")
        NGO = "ngo", _("non-governmental organisation")
        ENTERPRISE = "enterprise", _("enterprise")
        EDUCATION = "education", _("school or education institution")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300, db_collation=collation.NAME)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    kind = models.CharField(_("institution type"), max_length=30, choices=Kind.choices)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        Person, through="InstitutionMember", related_name="institutions", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "pk"]
        constraints = []
        # Not unique: an institution applying brings its own record; the office links
        # records that are the same (see recruitment's Application).
        indexes = [
            models.Index(fields=["nip"], name="institution_nip"),
            # Lists by name walk this index (in the column's Polish collation) to their page.
            models.Index(fields=["name", "id"], name="institution_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def in_project(self, project_id: int) -> bool:
        from lider.people.queries import in_project  # queries reads these models

        return in_project(self, project_id)

    def clean(self) -> None:
        errors = {}
        clean_organisation_identifiers(self, errors)
        self.clean_address(errors)
        if errors:
            raise ValidationError(errors)


class InstitutionMember(models.Model):
    class Relation(models.TextChoices):
        MEMBER = "member", _("member")
        EMPLOYEE = "employee", _("employee")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        verbose_name = _("member or employee")
        verbose_name_plural = _("members and employees")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "person", "relation"], name="institution_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.institution} ({self.get_relation_display()})"
