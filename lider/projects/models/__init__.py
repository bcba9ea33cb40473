"""The models of projects, by subject: the programme tree and organisations (`programme`),
the project card and who works on it (`card`), logo strips (`strips`)."""

from lider.projects.models.card import (
    APPLYING_STATES,
    COFINANCING_MAX_LENGTH,
    DEFAULT_PARTICIPATION_KINDS,
    PUBLIC_STATES,
    STATE_TRANSITIONS,
    Invitation,
    Membership,
    Project,
    ProjectQuerySet,
    ProjectState,
    SpecificGoal,
    TargetGroup,
    Task,
    default_participation_kinds,
)
from lider.projects.models.programme import (
    Organisation,
    ProgrammeNode,
)
from lider.projects.models.strips import (
    LOGO_CAPTION_MAX_LENGTH,
    LOGO_STRIP_MAX_MARKS,
    LogoMark,
)

__all__ = [
    "STATE_TRANSITIONS",
    "APPLYING_STATES",
    "COFINANCING_MAX_LENGTH",
    "DEFAULT_PARTICIPATION_KINDS",
    "Invitation",
    "LOGO_CAPTION_MAX_LENGTH",
    "LOGO_STRIP_MAX_MARKS",
    "LogoMark",
    "Membership",
    "Organisation",
    "PUBLIC_STATES",
    "ProgrammeNode",
    "Project",
    "ProjectQuerySet",
    "ProjectState",
    "SpecificGoal",
    "TargetGroup",
    "Task",
    "default_participation_kinds",
]
