"""Completion rules, knowledge-test scores, numbered certificates and bulk issue runs.

A certificate row keeps everything printed on it (the name as printed, training, hours, dates,
place, programme, project title and number) and the evaluation it was issued on, so it can be
rendered and verified again after the person's other data are anonymised, and later edits of
attendance or rules show up as a difference instead of silently rewriting history.
"""

import re
import string
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.certification import rules
from lider.projects import hours as hours_units
from lider.projects.models import COFINANCING_MAX_LENGTH

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class CompletionRule(models.Model):
    """The condition a participant of one task must meet to get a certificate (see ``rules``)."""

    task = models.OneToOneField(
        "projects.Task",
        on_delete=models.CASCADE,
        related_name="completion_rule",
        verbose_name=_("task"),
    )
    conditions = models.JSONField(_("conditions"))
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")

    def __str__(self) -> str:
        return f"{self.task} (v{self.version})"

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id

    def clean(self) -> None:
        rules.validate(self.conditions)


class TestScore(models.Model):
    """A participant's pre-test and post-test result in one task, in percent."""

    __test__ = False  # not a pytest test class, despite the name

    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="test_scores")
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="test_scores"
    )
    pre_test = models.DecimalField(
        _("pre-test (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    post_test = models.DecimalField(
        _("post-test (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge test result")
        verbose_name_plural = _("knowledge test results")
        constraints = [
            models.UniqueConstraint(fields=["task", "participant"], name="test_score_once"),
            models.CheckConstraint(
                condition=models.Q(pre_test__isnull=True)
                | models.Q(pre_test__gte=0, pre_test__lte=100),
                name="test_score_pre_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(post_test__isnull=True)
                | models.Q(post_test__gte=0, post_test__lte=100),
                name="test_score_post_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.task}"

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id

    @property
    def gain(self):
        if self.pre_test is None or self.post_test is None:
            return None
        return self.post_test - self.pre_test


# What a certificate's number column holds, and the largest values a pattern is formatted with.
NUMBER_MAX_LENGTH = 80
LARGEST_SEQUENCE = 2_147_483_647  # the largest PositiveIntegerField on every backend
LARGEST_YEAR = 9999


def validate_number_pattern(pattern: str) -> None:
    """A pattern may use {year} and must use {seq} (with a format such as {seq:03d}).

    Every number it can give must fit the number column: a width is checked before anything is
    formatted (``{seq:300000000}`` would build a 300 MB string), then the pattern is formatted
    with the largest year and sequence number.
    """
    invalid = ValidationError(
        _("Use {seq} for the sequence number (e.g. {seq:03d}) and optionally {year}."),
        code="pattern",
    )
    too_long = ValidationError(
        _("Numbers in this format could be longer than %(max)d characters."),
        code="pattern_length",
        params={"max": NUMBER_MAX_LENGTH},
    )
    if len(pattern) > NUMBER_MAX_LENGTH:
        raise too_long
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in pattern):
        raise ValidationError(
            _("The number format may not contain control or invisible characters."),
            code="pattern_characters",
        )
    fields, specs = set(), []
    try:
        for _text, name, spec, _conversion in string.Formatter().parse(pattern):
            if name is not None:
                fields.add(name)
                specs.append(spec or "")
    except ValueError:
        raise invalid from None
    if "seq" not in fields or not fields <= {"seq", "year"}:
        raise invalid
    for spec in specs:
        if "{" in spec or "}" in spec:  # a nested field would set the width from the data
            raise invalid
        if any(
            len(digits) > 3 or int(digits) > NUMBER_MAX_LENGTH
            for digits in re.findall(r"\d+", spec)
        ):
            raise too_long
    try:
        longest = pattern.format(year=LARGEST_YEAR, seq=LARGEST_SEQUENCE)
        pattern.format(year=2010, seq=1)
    except (ValueError, KeyError, IndexError, TypeError):
        raise invalid from None
    if len(longest) > NUMBER_MAX_LENGTH:
        raise too_long


class CertificateSeries(models.Model):
    """A number series with its counter: the project's, or one task's if it has its own.

    The counter row is locked (``select_for_update``) by the transaction that creates a
    certificate, so numbers are handed out one at a time and a rolled-back issue gives its
    number back: no duplicates and no gaps. The counter runs on across years.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="certificate_series"
    )
    task = models.OneToOneField(
        "projects.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_series",
        verbose_name=_("task"),
    )
    pattern = models.CharField(
        _("number format"),
        max_length=60,
        validators=[validate_number_pattern],
        help_text=_("For example LRES/{year}/{seq:03d} gives LRES/2010/001."),
    )
    last_sequence = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("certificate number series")
        verbose_name_plural = _("certificate number series")
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(task__isnull=True),
                name="certificate_series_one_per_project",
            ),
        ]

    def __str__(self) -> str:
        return self.pattern

    def format(self, *, year: int, sequence: int) -> str:
        validate_number_pattern(self.pattern)  # a row saved before the bounds were checked
        return self.pattern.format(year=year, seq=sequence)


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Certificate.Status.ISSUED)


class Certificate(models.Model):
    """One numbered certificate with what was printed on it and the evaluation behind it.

    The PDF is not stored: it is rendered on demand from the facts frozen in this row (the
    rendering is deterministic), and ``sha256`` holds the checksum of the bytes rendered at
    issue, so a re-rendered copy can be shown to be the document that was issued. This keeps
    no second copy of personal data in files to back up, anonymise or delete.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("valid")
        REVOKED = "revoked", _("revoked")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="certificates"
    )
    task = models.ForeignKey(
        "projects.Task",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("task"),
    )
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("participant"),
    )
    series = models.ForeignKey(CertificateSeries, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=NUMBER_MAX_LENGTH)
    code = models.CharField(_("verification code"), max_length=10, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    issued_on = models.DateField(_("issue date"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    # As printed: kept here so the certificate outlives changes and anonymisation.
    full_name = models.CharField(_("full name"), max_length=200)
    # The grammatical gender of the certificate's wording ("ukończył" / "ukończyła").
    gender = models.CharField(
        _("grammatical gender"),
        max_length=6,
        blank=True,
        choices=[("female", _("feminine")), ("male", _("masculine"))],
    )
    training_title = models.CharField(_("training"), max_length=300)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    # The project's hours unit at issue (lider.projects.hours); "" on certificates issued
    # before it was recorded, which print "Number of hours" as they did.
    hours_unit = models.CharField(
        _("hours unit"), max_length=10, blank=True, choices=hours_units.HoursUnit.choices
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    issue_place = models.CharField(_("place of issue"), max_length=100, blank=True)
    project_title = models.CharField(_("project"), max_length=300)
    project_number = models.CharField(_("project number"), max_length=60)
    cofinancing = models.CharField(_("co-financing statement"), max_length=COFINANCING_MAX_LENGTH)
    programme = models.JSONField(_("programme"), default=list)
    # The project's logo strip at issue ([{"caption", "image"}], lider.projects.logos); empty
    # on certificates issued before strips were kept, and for projects without a strip: those
    # print the EU flag, as they did.
    logos = models.JSONField(_("logos printed"), default=list, blank=True)
    verification_url = models.CharField(_("verification address"), max_length=300)
    evaluation = models.JSONField(_("evaluation at issue"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["series", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="certificate_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["task", "participant"],
                condition=models.Q(status="issued"),
                name="certificate_one_valid_per_task",
            ),
            models.CheckConstraint(
                condition=models.Q(status="issued", revoked_at__isnull=True)
                | models.Q(status="revoked", revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.full_name}"

    @property
    def hours_label(self) -> str:
        """ "Number of teaching hours (45 min)", or plain "Number of hours" without a unit."""
        return hours_units.count_label(self.hours_unit) if self.hours_unit else _("Number of hours")

    @property
    def audit_project_id(self) -> int:
        return self.project_id

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def grouped_code(self) -> str:
        return group_code(self.code)


def group_code(code: str) -> str:
    """'K7M4XQ9P2W' → 'K7M4-XQ9P-2W', as printed and shown."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class BulkIssueRun(models.Model):
    """One "issue to everyone who meets the rule" run, with its progress for the page to poll."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    task = models.ForeignKey(
        "projects.Task",
        on_delete=models.CASCADE,
        related_name="bulk_issue_runs",
        verbose_name=_("task"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("to issue"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    issued_on = models.DateField(_("issue date"))
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk issue run")
        verbose_name_plural = _("bulk issue runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task}: {self.done}/{self.total}"

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
