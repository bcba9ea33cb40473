"""Roles and the one table that says which role may do what.

Every back-office view names one permission from `PERMISSIONS`; the matrix test walks the URL
configuration and checks each view against this table for each role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    COORDINATOR = "coordinator", _("coordinator")
    OFFICE = "office", _("office staff")
    TRAINER = "trainer", _("trainer or advisor")
    PARTNER = "partner", _("partner staff")
    AUDITOR = "auditor", _("auditor")
    PARTICIPANT = "participant", _("participant")
    # A funder or an intermediate body (instytucja pośrednicząca): reads the roll-up and the
    # card, indicators and founded entities of the projects granted to it, writes nothing.
    FUNDER = "funder", _("funder (read-only)")


ADMIN, COORD, OFFICE, TRAINER, PARTNER, AUDITOR, PARTICIPANT, FUNDER = Role
STAFF = frozenset({ADMIN, COORD, OFFICE, TRAINER, PARTNER, AUDITOR})
MANAGERS = frozenset({ADMIN, COORD})
# Roles that never write: a request other than GET/HEAD/OPTIONS is refused to them whatever
# the permission (`allows_request`), so a read permission given to them cannot become a write.
READ_ONLY = frozenset({FUNDER})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # The project card.
    "project.view": STAFF | {FUNDER},
    "project.change": MANAGERS,
    # Moving the project through its lifecycle (draft → recruiting → running → closed → archived).
    "project.state": MANAGERS,
    # Who holds which role in the project.
    "roles.view": MANAGERS | {AUDITOR},
    "roles.manage": MANAGERS,
    # The audit trail: one object's history, or the whole project's.
    "audit.view_object": MANAGERS | {AUDITOR},
    "audit.view_project": frozenset({ADMIN, AUDITOR}),
    # Personal data: full PESEL, disability and other sensitive attributes, and exports of them.
    "personal.view_sensitive": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
    "personal.export": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
    # The data subject's rights (GDPR art. 15-18): a person's whole record as PDF or JSON,
    # restricting processing, erasure and anonymisation.
    "personal.subject_rights": frozenset({ADMIN, COORD, OFFICE}),
    # People and institutions: the full person page; importing people from a spreadsheet.
    "people.view": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
    "people.import": frozenset({ADMIN, COORD, OFFICE}),
    # A participant's path: overriding "completed as planned" with a note (the office).
    "people.path": frozenset({ADMIN, COORD, OFFICE}),
    # Recruitment: the list of applications and the ranking (sensitive values masked);
    # entering, withdrawing and confirming (the office); deciding (coordinators).
    "recruitment.view": frozenset({ADMIN, COORD, OFFICE, PARTNER, AUDITOR}),
    "recruitment.manage": frozenset({ADMIN, COORD, OFFICE}),
    "recruitment.decide": MANAGERS,
    "recruitment.rules": MANAGERS,
    # Delivery: the calendar of sessions; a session's list and attendance (names only, for
    # trainers too); marking attendance (a trainer only at the sessions they lead), and marking
    # it at any session of the project; planning sessions, enrolments and bookings; the signed
    # scans kept as evidence; a trainer's own schedule and private calendar feed.
    "delivery.view": STAFF,
    "delivery.view_attendance": frozenset({ADMIN, COORD, OFFICE, TRAINER, AUDITOR}),
    "delivery.mark_attendance": frozenset({ADMIN, COORD, OFFICE, TRAINER}),
    "delivery.mark_any_session": frozenset({ADMIN, COORD, OFFICE}),
    "delivery.manage": frozenset({ADMIN, COORD, OFFICE}),
    "delivery.view_evidence": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
    "delivery.own_schedule": STAFF,
    # Outcomes: social-economy entities founded with the project's support.
    "outcomes.view": STAFF | {FUNDER},
    "outcomes.manage": MANAGERS | {OFFICE},
    # Indicators, the dashboard, progress reports; defining the project's indicators; freezing
    # values at a reporting date; monitoring exports of participants (full PESEL only with
    # personal.export).
    "reporting.view": frozenset({ADMIN, COORD, OFFICE, PARTNER, AUDITOR, FUNDER}),
    # The records behind a figure (the drill-down lists and a snapshot's rows), which name
    # participants: granted deliberately, so a read-only funder sees the figures, not the people.
    "reporting.records": frozenset({ADMIN, COORD, OFFICE, PARTNER, AUDITOR}),
    "reporting.manage": MANAGERS,
    "reporting.snapshot": MANAGERS,
    "reporting.export": frozenset({ADMIN, COORD, OFFICE, PARTNER, AUDITOR}),
    # The roll-up over many projects (lider.reporting.rollup): a project counts in a user's
    # roll-up when a role they hold there has this permission.
    "rollup.view": MANAGERS | {AUDITOR, FUNDER},
    # Certification: the register and each task's standing against its rule; issuing and
    # revoking; the completion rule and the number format; entering knowledge-test results
    # (trainers only for tasks they teach); the register as XLSX.
    "certificates.view": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
    "certificates.issue": frozenset({ADMIN, COORD, OFFICE}),
    "certificates.rules": MANAGERS,
    "certificates.scores": frozenset({ADMIN, COORD, OFFICE, TRAINER}),
    "certificates.export": frozenset({ADMIN, COORD, OFFICE, AUDITOR}),
}

# Pseudo-permissions for views outside the role table; the matrix test knows them.
PUBLIC = "public"  # anyone, logged in or not
AUTHENTICATED = "authenticated"  # any logged-in user; the view shows only what roles allow
# An administrator of the installation (LIDER_INSTALLATION_ADMINISTRATOR decides who is one).
INSTALLATION = "installation"


def roles_with(permission: str) -> frozenset[Role]:
    """The roles holding a permission; an unknown name is a programming error."""
    try:
        return PERMISSIONS[permission]
    except KeyError:
        raise LookupError(f"Permission {permission!r} is not declared in PERMISSIONS.") from None


def allows(roles, permission: str) -> bool:
    return bool(roles_with(permission) & set(roles))


def allows_request(roles, permission: str, method: str) -> bool:
    """`allows`, and for a request that may write, by a role that is not read-only."""
    if method.upper() in SAFE_METHODS:
        return allows(roles, permission)
    return allows(set(roles) - READ_ONLY, permission)
