"""Applications to a project, with the applicant's data as submitted, and the consents given
with them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lider.core.sensitive import mask_pesel
from lider.recruitment.models.texts import ConsentText, InformationClause


class ApplicationQuerySet(models.QuerySet):
    def for_people(self):
        return self.filter(person__isnull=False)

    def reserve_list(self):
        return self.filter(status=Application.Status.RESERVE).order_by(
            "-score", "submitted_at", "pk"
        )


class Application(models.Model):
    """One application to a project, with the applicant's data as submitted.

    Status (who moves it, `services.ALLOWED` is the table): *submitted* by the applicant (the
    public form), the office (a paper form) or an import → the office decides *accepted*
    (a participant is made), *reserve list* or *rejected* (with a reason) → a free place is
    *offered* to the first on the reserve list → the applicant (the e-mailed link) or the office
    confirms it (*accepted*) or declines (*withdrawn*); an accepted participant may leave
    (*withdrawn*). Each decision is e-mailed to the applicant in the application's language.

    Identity (who the applicant is): an application never attaches to an existing record by
    itself. It always brings its own record of the person or institution, made from what was
    submitted, and remembers the identifier (`pesel`/`nip`) and the e-mail it came with:
    - *new*: no other record had this identifier when it came in;
    - *to check*: another record (or another application to this project) has the same
      identifier; the office compares the two side by side and decides, audited:
    - *linked*: the office found it is the same person or institution, so the application
      moves to the existing record (taking over only the values the office chose) and its own
      record is deleted;
    - *separate*: the office found they differ, so the application keeps its own record.
    An application still to check cannot be accepted and gets no place offered. E-mails about
    an application go to the address it was submitted with (`email`), never to an address a
    linked record carries. When a person's application is accepted and the project invites
    participants, an invitation to their own account goes to that same address
    (`account_invitation`); accepting it links the new account to the application's person.
    A PESEL (or NIP) applies once per project: among applications not
    waiting for that check, the database allows one per identifier.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("application status", "accepted")
        RESERVE = "reserve", pgettext_lazy("application status", "reserve list")
        OFFERED = "offered", pgettext_lazy("application status", "place offered")
        REJECTED = "rejected", pgettext_lazy("application status", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")

    class Identity(models.TextChoices):
        NEW = "new", pgettext_lazy("applicant identity", "new record")
        TO_CHECK = "to_check", pgettext_lazy("applicant identity", "to check")
        LINKED = "linked", pgettext_lazy("applicant identity", "linked to an existing record")
        SEPARATE = "separate", pgettext_lazy("applicant identity", "kept as a separate record")

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
    pesel = models.CharField(_("PESEL as submitted"), max_length=11, blank=True)
    nip = models.CharField(_("NIP as submitted"), max_length=10, blank=True)
    email = models.EmailField(
        _("e-mail of the application"),
        blank=True,
        help_text=_("Every message about this application goes to this address only."),
    )
    identity = models.CharField(
        _("identity"), max_length=10, choices=Identity.choices, default=Identity.NEW
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
    account_invitation = models.OneToOneField(
        "projects.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("invitation to the participant's account"),
    )
    information_clause = models.ForeignKey(
        InformationClause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("information clause shown"),
    )

    sensitive_fields = {"pesel": mask_pesel}

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
            models.UniqueConstraint(
                fields=["project", "pesel"],
                condition=~models.Q(pesel="") & ~models.Q(identity="to_check"),
                name="application_pesel_once",
            ),
            models.UniqueConstraint(
                fields=["project", "nip"],
                condition=~models.Q(nip="") & ~models.Q(identity="to_check"),
                name="application_nip_once",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, institution__isnull=True)
                | models.Q(person__isnull=True, institution__isnull=False),
                name="application_person_or_institution",
            ),
        ]
        indexes = [
            # The list's summary counts a project's applications grouped by these three from
            # the index alone (recruitment.queries.counts); its prefix serves a status.
            models.Index(
                fields=["project", "status", "is_eligible", "identity"],
                name="application_summary",
            ),
            # The list, newest first, walks this index to its page.
            models.Index(fields=["project", "submitted_at", "id"], name="application_by_time"),
            # The people list counts the applicants who are not participants among these only:
            # an application with a participant made it from its own person (_make_participant).
            models.Index(
                fields=["project", "person"],
                condition=models.Q(participant__isnull=True, person__isnull=False),
                name="application_person_pending",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.institution)

    @property
    def applicant(self):
        return self.person or self.institution

    @property
    def identifier(self) -> str:
        return self.pesel or self.nip


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
