"""The project card: the project, its state, target groups, goals and tasks, and who works on
it (memberships, invitations)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lider.core.permissions import Role
from lider.core.shortening import shorten
from lider.projects import hours
from lider.projects.hours import HoursUnit
from lider.projects.models.programme import Organisation, ProgrammeNode

# The co-financing statement is printed on every document; a few sentences at most.
COFINANCING_MAX_LENGTH = 1000


class ProjectState(models.TextChoices):
    """Where a project is in its life; see `Project` for who moves it and what each shows."""

    DRAFT = "draft", pgettext_lazy("project state", "draft")
    RECRUITING = "recruiting", pgettext_lazy("project state", "recruiting")
    RUNNING = "running", pgettext_lazy("project state", "running")
    CLOSED = "closed", pgettext_lazy("project state", "closed")
    ARCHIVED = "archived", pgettext_lazy("project state", "archived")


# The only moves a project's state may make (`lider.projects.services.change_state`).
STATE_TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectState.DRAFT: frozenset({ProjectState.RECRUITING, ProjectState.RUNNING}),
    ProjectState.RECRUITING: frozenset({ProjectState.RUNNING, ProjectState.CLOSED}),
    ProjectState.RUNNING: frozenset({ProjectState.CLOSED}),
    ProjectState.CLOSED: frozenset({ProjectState.RUNNING, ProjectState.ARCHIVED}),
    ProjectState.ARCHIVED: frozenset(),
}

# States whose public pages (card, results, calendar, feed) exist.
PUBLIC_STATES = frozenset(
    {ProjectState.RECRUITING, ProjectState.RUNNING, ProjectState.CLOSED, ProjectState.ARCHIVED}
)
# States whose public application form takes applications.
APPLYING_STATES = frozenset({ProjectState.RECRUITING, ProjectState.RUNNING})


# Task kinds whose support makes a person a participant (the project's rule, see
# lider.people.paths); meetings, conferences and forums are promotional: attendance only.
DEFAULT_PARTICIPATION_KINDS = ("training_cycle", "group_advisory")


def default_participation_kinds() -> list[str]:
    return list(DEFAULT_PARTICIPATION_KINDS)


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Projects the public site shows: marked public, and past the draft state."""
        return self.filter(is_public=True, state__in=PUBLIC_STATES)


class Project(models.Model):
    """A project card.

    Lifecycle (`state`, moves only as `STATE_TRANSITIONS` allows, through
    `services.change_state`, audited; in the back office a coordinator or an administrator of
    the project moves it on the project's "State" page, permission `project.state`):

    - draft: being set up by the administrator who created it; nothing of it is public (its
      page, results, calendar, feed and application form answer 404).
    - recruiting: published; the public application form takes applications.
    - running: support is delivered; recruitment goes on (ESF projects recruit in rounds while
      they deliver), so the form still takes applications.
    - closed: the project has ended; its page and results stay public, the application form
      is closed (a polite page says so). It can be reopened (running) after an annex.
    - archived: kept for the record only; public as closed. Final.

    `is_public` can additionally hide a non-draft project from the public site.
    """

    State = ProjectState

    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    number = models.CharField(
        _("project number"),
        max_length=60,
        help_text=_("The application number, e.g. WND-POKL.07.02.02-24-034/09."),
    )
    # Kept apart from the application number: SL2014 and CST2021 ask for the contract's.
    contract_number = models.CharField(
        _("contract number"),
        max_length=60,
        blank=True,
        help_text=_("The number of the funding contract, e.g. UDA-POKL.07.02.02-24-034/09-00."),
    )
    title = models.CharField(_("title"), max_length=300)
    # Printed on every certificate, attendance list and report: bounded like every such text.
    cofinancing_statement = models.CharField(
        _("co-financing statement"), max_length=COFINANCING_MAX_LENGTH
    )
    classification = models.ForeignKey(
        ProgrammeNode,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("classification"),
        help_text=_("The most specific level, usually the sub-measure."),
    )
    institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="filed_projects",
        verbose_name=_("institution where the application was filed"),
    )
    applicant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applied_projects",
        verbose_name=_("applicant"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_projects", verbose_name=_("partners")
    )
    counties = models.ManyToManyField(
        "territory.Unit",
        related_name="projects",
        verbose_name=_("counties"),
        limit_choices_to={"level": "county"},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    archiving_date = models.DateField(
        _("evidence kept until"),
        null=True,
        blank=True,
        help_text=_(
            "The end of the archiving period of the programme's documents, as the funding "
            "agreement sets it. Until then participants' data cannot be erased; after it the "
            "office anonymises the project's people."
        ),
    )
    main_goal = models.TextField(_("main goal"))
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    invite_participants = models.BooleanField(
        _("invite accepted participants to their account"),
        default=True,
        help_text=_(
            "When an application is accepted, the person gets an e-mail invitation to their "
            "own account, where they see their schedule, attendance, certificates and consents."
        ),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.DRAFT
    )
    participation_kinds = models.JSONField(
        _("task kinds that make a person a participant"),
        default=default_participation_kinds,
        blank=True,
        help_text=_(
            "The first attended session of a task of these kinds starts a person's "
            "participation; other tasks (meetings, conferences) count as attendance only."
        ),
    )
    # Tasks counted as participation whatever their kind (e.g. one conference with a workshop
    # the project treats as a form of support); the rule is kinds ∪ these tasks.
    participation_tasks = models.ManyToManyField(
        "Task",
        blank=True,
        related_name="+",
        verbose_name=_("tasks that also make a person a participant"),
    )

    # The one definition of an hour for everything the project counts (lider.projects.hours).
    hours_unit = models.CharField(
        _("hours unit"),
        max_length=10,
        choices=HoursUnit.choices,
        default=HoursUnit.TEACHING,
        help_text=_(
            "How the project counts hours of support. Attendance, completion rules, "
            "certificates, indicators and reports use it and say which unit they show."
        ),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_project_id(self) -> int:
        return self.pk

    @property
    def hours_label(self) -> str:
        """The project's hours unit as a header says it: "teaching hours (45 min)"."""
        return hours.label(self.hours_unit)

    @property
    def hours_count_label(self) -> str:
        """A column header for hours: "Number of teaching hours (45 min)"."""
        return hours.count_label(self.hours_unit)

    @property
    def accepts_applications(self) -> bool:
        """Whether the public application form takes applications in this state."""
        return self.state in APPLYING_STATES

    @property
    def next_states(self) -> list[str]:
        """The states this project may move to, in lifecycle order."""
        allowed = STATE_TRANSITIONS[self.state]
        return [state for state in ProjectState if state in allowed]

    def clean(self) -> None:
        kinds = self.participation_kinds
        if not isinstance(kinds, list) or any(kind not in Task.Kind.values for kind in kinds):
            raise ValidationError(
                {"participation_kinds": _("Choose task kinds from the list.")}, code="kinds"
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The project cannot end before it starts.")}, code="period"
            )
        if self.archiving_date and self.end_date and self.archiving_date < self.end_date:
            raise ValidationError(
                {"archiving_date": _("The evidence must be kept at least until the project ends.")},
                code="archiving",
            )


class TargetGroup(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="target_groups")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return shorten(self.description, 80)  # the whole text: `description`


class SpecificGoal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="specific_goals")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("specific goal"))

    class Meta:
        verbose_name = _("specific goal")
        verbose_name_plural = _("specific goals")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return shorten(self.text, 80)  # the whole text: `text`


class Task(models.Model):
    """An activity of the project (zadanie), possibly repeated in several counties."""

    class Kind(models.TextChoices):
        INFORMATION_MEETING = "information_meeting", _("information meeting")
        CONFERENCE = "conference", _("conference")
        TRAINING_CYCLE = "training_cycle", _("training cycle")
        GROUP_ADVISORY = "group_advisory", _("group advisory")
        FORUM = "forum", _("forum")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    counties = models.ManyToManyField(
        "territory.Unit",
        related_name="tasks",
        verbose_name=_("counties"),
        limit_choices_to={"level": "county"},
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """A user's role in one project; a user can hold several roles in several projects."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("project")
    )
    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role in a project")
        verbose_name_plural = _("roles in projects")
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.project}"


class Invitation(models.Model):
    """An e-mail invitation to a role in a project, for a person who has no account yet.

    Lifecycle: an administrator of the installation or a manager of the project creates it and
    it is sent (`sent_at`); it may be sent again (a new link; the previous one stops working)
    or revoked (`revoked_at`); the invitee opens the signed link within INVITATION_DAYS of the
    last sending, chooses a login and a password, and the account and the role are created
    (`accepted_at`, `user`). An accepted, revoked or expired invitation's link does nothing.
    All steps are audited (lider.projects.invitations).

    A participant's invitation (role *participant*) is sent by Lider itself when an application
    is accepted (recruitment, if the project's `invite_participants` is on): `invited_by` is
    whoever accepted it (nobody when the applicant took an offered place by the e-mailed
    link), and accepting it links the new account to the applicant's record (a hook
    recruitment registers), so the participant's own pages show their data.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("project")
    )
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("language of the e-mail"), max_length=8, choices=settings.LANGUAGES, default="pl"
    )
    invited_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # Changed at every sending: a link carries it, so an earlier link stops working.
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email", "role"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}> – {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
