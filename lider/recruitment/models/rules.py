"""What an applicant must meet and what earns points: eligibility rules and scoring criteria,
kept as data per project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    # Criteria met only by special-category data (health): whom they name is masked for roles
    # without `personal.view_sensitive`, like the data itself.
    SPECIAL_CATEGORY = frozenset({Kind.DISABILITY})

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.points})"

    @property
    def is_special_category(self) -> bool:
        return self.kind in self.SPECIAL_CATEGORY
