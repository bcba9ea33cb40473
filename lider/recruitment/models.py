"""Recruitment: eligibility rules and scoring as data, applications, consents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EligibilityRule(models.Model):
    """One declarative condition an applicant must meet; a project's rules are edited as data."""

    class Kind(models.TextChoices):
        AREA = "area", _("residence or seat in the project's counties")
        MIN_AGE = "min_age", _("minimum age on the day of application")
        TARGET_GROUP = "target_group", _("belongs to an admitted target group")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Only for the minimum-age rule.")
    )
    target_groups = models.ManyToManyField(
        "projects.TargetGroup",
        blank=True,
        related_name="+",
        verbose_name=_("admitted target groups"),
        help_text=_("Only for the target-group rule; none selected admits every group."),
    )
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="min_age") | models.Q(min_age__isnull=False),
                name="eligibility_rule_min_age_set",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.MIN_AGE:
            return _("at least %(age)s years old on the day of application") % {"age": self.min_age}
        return str(self.get_kind_display())


class ScoringCriterion(models.Model):
    """Points an applicant gets for one attribute; the ranking adds them up."""

    class Kind(models.TextChoices):
        UNEMPLOYED = "unemployed", _("unemployed")
        LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
        INACTIVE = "inactive", _("economically inactive")
        WOMAN = "woman", _("woman")
        DISABILITY = "disability", _("person with disabilities")
        RURAL = "rural", _("lives in a rural area")
        AGE_50_PLUS = "age_50_plus", _("aged 50 or over")
        LOW_EDUCATION = "low_education", _("at most lower secondary education")
        SOCIAL_ECONOMY = "social_economy", _("social-economy entity (institutions)")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="scoring_criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("criterion"), max_length=30, choices=Kind.choices)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="scoring_criterion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.points})"


class ConsentText(models.Model):
    """A version of a consent's wording; applicants consent to an exact version."""

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("processing of personal data for the project")
        MONITORING = "monitoring", _("processing of personal data for monitoring")
        REPORT_AFTER_EXIT = (
            "report_after_exit",
            _("obligation to report my situation up to 4 weeks after leaving the project"),
        )

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="consent_texts"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text shown"))
    is_current = models.BooleanField(_("shown on the form now"), default=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "purpose", "version"], name="consent_text_version_unique"
            ),
            models.UniqueConstraint(
                fields=["project", "purpose"],
                condition=models.Q(is_current=True),
                name="consent_text_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.version})"


class ApplicationQuerySet(models.QuerySet):
    def for_people(self):
        return self.filter(person__isnull=False)

    def reserve_list(self):
        return self.filter(status=Application.Status.RESERVE).order_by(
            "-score", "submitted_at", "pk"
        )


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("application status", "accepted")
        RESERVE = "reserve", pgettext_lazy("application status", "reserve list")
        OFFERED = "offered", pgettext_lazy("application status", "place offered")
        REJECTED = "rejected", pgettext_lazy("application status", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")

    class Source(models.TextChoices):
        ONLINE = "online", _("online form")
        PAPER = "paper", _("paper form entered by the office")
        IMPORT = "import", _("spreadsheet import")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        "people.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("institution"),
    )
    target_group = models.ForeignKey(
        "projects.TargetGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target group"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    language = models.CharField(_("language"), max_length=8, default="pl")
    is_eligible = models.BooleanField(_("eligible"), default=False)
    eligibility = models.JSONField(_("eligibility check"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("points"), default=0)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    participant = models.OneToOneField(
        "people.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("participant"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=models.Q(person__isnull=False),
                name="application_person_once",
            ),
            models.UniqueConstraint(
                fields=["project", "institution"],
                condition=models.Q(institution__isnull=False),
                name="application_institution_once",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, institution__isnull=True)
                | models.Q(person__isnull=True, institution__isnull=False),
                name="application_person_or_institution",
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return str(self.person or self.institution)

    @property
    def applicant(self):
        return self.person or self.institution


class Consent(models.Model):
    """One consent given with an application: which text, when, how; it can be withdrawn."""

    class Source(models.TextChoices):
        ONLINE = "online", _("online form")
        PAPER = "paper", _("signed paper form")
        IMPORT = "import", _("spreadsheet import")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("text")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentText.Purpose.choices)
    given_at = models.DateTimeField(_("given at"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["application", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["application", "purpose"], name="consent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} – {self.application}"

    @property
    def audit_project_id(self) -> int:
        return self.application.project_id

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
