"""People and institutions, and their participation in projects (the monitoring record)."""

from django.conf import settings
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
from lider.projects.identifiers import clean_organisation_identifiers


class Sex(models.TextChoices):
    FEMALE = "K", _("woman")
    MALE = "M", _("man")


class Answer(models.TextChoices):
    """Answers to the sensitive monitoring questions; refusing to answer is allowed."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refuses to answer")


class Education(models.TextChoices):
    """ISCED levels, the canonical codes that every export profile maps to its own labels."""

    BELOW_PRIMARY = "isced0", _("below primary (ISCED 0)")
    PRIMARY = "isced1", _("primary (ISCED 1)")
    LOWER_SECONDARY = "isced2", _("lower secondary (ISCED 2)")
    UPPER_SECONDARY = "isced3", _("upper secondary (ISCED 3)")
    POST_SECONDARY = "isced4", _("post-secondary (ISCED 4)")
    TERTIARY = "isced5", _("tertiary (ISCED 5–8)")


class LabourStatus(models.TextChoices):
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("unemployed, registered at a labour office")
    UNEMPLOYED_UNREGISTERED = "unemployed_unregistered", _("unemployed, not registered")
    INACTIVE = "inactive", _("economically inactive")
    EMPLOYED = "employed", _("employed")


class LabourDetail(models.TextChoices):
    """The 'w tym' sub-status of the monitoring forms."""

    NONE = "", _("—")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    IN_EDUCATION = "in_education", _("in education or training")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    PUBLIC_ADMINISTRATION = "public_administration", _("works in public administration")
    NGO = "ngo", _("works in a non-governmental organisation")
    SME = "sme", _("works in a micro, small or medium enterprise")
    LARGE_ENTERPRISE = "large_enterprise", _("works in a large enterprise")
    FARMER = "farmer", _("farmer")
    OTHER = "other", _("other")


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
        indexes = [models.Index(fields=["pesel"], name="person_pesel")]

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
        indexes = [models.Index(fields=["nip"], name="institution_nip")]

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


class Situation(models.TextChoices):
    """A participant's situation when they leave the project, and four weeks after.

    domain.md has no official SL2014/CST2021 list for "sytuacja osoby w momencie zakończenia
    udziału w projekcie"; these are the common immediate result indicators of the ESF
    regulation (1304/2013, Annex I: looking for a job, in education or training, gained a
    qualification, in employment including self-employment) with "inne" and "nie dotyczy",
    the two values the published SL2014 export routine writes. Each export profile maps them
    to its labels."""

    JOB_SEARCHING = "job_searching", _("looking for a job")
    EDUCATION = "education", _("in education or training")
    QUALIFICATION = "qualification", _("gained a qualification")
    EMPLOYED = "employed", _("in employment, including self-employment")
    OTHER = "other", _("other")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class SituationSource(models.TextChoices):
    NONE = "", _("—")
    OFFICE = "office", _("entered by the office")
    PARTICIPANT = "participant", _("given by the participant")
    # The demo's values: made up to show the feature, not records of the real project.
    ILLUSTRATIVE = "illustrative", _("illustrative value of the demo, not a real record")


# Weeks after the end of participation when the participant is asked about their situation.
LATER_WEEKS = 4


class Participant(models.Model):
    """A person or an institution taking part in one project: the monitoring record.

    Created when an application is accepted (or by import). The start date is the day of the
    first support; the end date and whether the person completed the planned path are filled
    when they leave.
    """

    class ExitReason(models.TextChoices):
        NONE = "", _("—")
        COMPLETED = "completed", _("completed the planned path")
        RESIGNATION = "resignation", _("resigned")
        EMPLOYMENT = "employment", _("took up employment")
        ILLNESS = "illness", _("illness")
        ABSENCES = "absences", _("removed for absences")
        OTHER = "other", _("other")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )

    class StartSource(models.TextChoices):
        NONE = "", _("—")
        ATTENDANCE = "attendance", _("first attended session of a participation task")
        OFFICE = "office", _("entered by the office")

    start_date = models.DateField(_("start of participation"), null=True, blank=True)
    start_source = models.CharField(
        _("source of the start date"), max_length=12, choices=StartSource.choices, blank=True
    )
    end_date = models.DateField(_("end of participation"), null=True, blank=True)
    # The value the exports read: the office's override if there is one, else the computed
    # one (lider.people.paths keeps it current).
    completed_as_planned = models.BooleanField(
        _("completed the planned path"), null=True, blank=True
    )
    completed_override = models.BooleanField(
        _("completed the planned path (the office's decision)"), null=True, blank=True
    )
    completed_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=ExitReason.choices, blank=True
    )
    # Result data (lider.people.situations writes them): the situation on leaving, and four
    # weeks after, each with who gave it.
    exit_situation = models.CharField(
        _("situation when leaving the project"),
        max_length=20,
        choices=Situation.choices,
        blank=True,
    )
    exit_situation_source = models.CharField(
        _("source of the situation when leaving"),
        max_length=12,
        choices=SituationSource.choices,
        blank=True,
    )
    later_situation = models.CharField(
        _("situation four weeks after leaving"),
        max_length=20,
        choices=Situation.choices,
        blank=True,
    )
    later_situation_source = models.CharField(
        _("source of the situation four weeks after leaving"),
        max_length=12,
        choices=SituationSource.choices,
        blank=True,
    )
    later_answered_at = models.DateTimeField(
        _("situation four weeks after recorded at"), null=True, blank=True
    )
    later_reminder_sent_at = models.DateTimeField(
        _("reminder about the situation four weeks after sent at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=models.Q(person__isnull=False),
                name="participant_person_once",
            ),
            models.UniqueConstraint(
                fields=["project", "institution"],
                condition=models.Q(institution__isnull=False),
                name="participant_institution_once",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, institution__isnull=True)
                | models.Q(person__isnull=True, institution__isnull=False),
                name="participant_person_or_institution",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.institution)

    @property
    def subject(self):
        return self.person or self.institution


class Restriction(models.Model):
    """The person asked to restrict processing (GDPR art. 18) or objected to it (art. 21).

    While it stands the person is left out of exports and e-mails and takes no new
    application, enrolment or place; what is already recorded is kept as evidence. Set and
    lifted through `lider.people.restrictions`, each with an audit entry.
    """

    class Kind(models.TextChoices):
        RESTRICTION = "restriction", _("restriction of processing (art. 18 GDPR)")
        OBJECTION = "objection", _("objection to processing (art. 21 GDPR)")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="restriction", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    since = models.DateTimeField(_("since"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


# A model of this app kept in its own module (people.models stays short).
from lider.people.rectification_models import Correction  # noqa: E402, F401
