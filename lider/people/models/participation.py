"""Participation in a project: the monitoring record, and the situation at the end."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.people.models.subjects import Institution, Person


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
