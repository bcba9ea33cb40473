"""The wording an applicant is shown on a form: versions of each consent's text and of the
information clause (GDPR art. 13)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class InformationClause(models.Model):
    """A version of the project's information clause (GDPR art. 13), shown on every form.

    Not a consent: the applicant is informed, not asked, and there is nothing to withdraw
    (most of the processing rests on a legal obligation, art. 6(1)(c)). So it is a model of
    its own rather than a `ConsentText` purpose, and an application records the exact version
    it was submitted with (`Application.information_clause`), as a consent records its text.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="information_clauses"
    )
    version = models.CharField(_("version"), max_length=20)
    controller = models.TextField(_("controller"))
    purposes = models.TextField(_("purposes of processing"))
    legal_bases = models.TextField(_("legal bases"))
    recipients = models.TextField(_("recipients"))
    retention = models.TextField(_("retention period"))
    rights = models.TextField(_("your rights"))
    dpo_contact = models.TextField(_("contact to the data protection officer"))
    is_current = models.BooleanField(_("shown on the form now"), default=True)

    SECTIONS = (
        "controller",
        "purposes",
        "legal_bases",
        "recipients",
        "retention",
        "rights",
        "dpo_contact",
    )

    class Meta:
        verbose_name = _("information clause")
        verbose_name_plural = _("information clauses")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="information_clause_version_unique"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_current=True),
                name="information_clause_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.version})"

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) in the order art. 13 lists them."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS
        ]
