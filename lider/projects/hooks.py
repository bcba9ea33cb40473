"""Services of upper layers that project set-up uses, registered at start-up.

`projects` sits below `outcomes`, `recruitment`, `certification` and the others and never
imports them; they (through `website`'s AppConfig.ready) register here what project set-up
needs from them:

- `organisation_lookup`: a KRS number → the organisation's details for pre-filling the
  organisation form (the KRS client lives in `outcomes`).
- `structure_copiers`: each copies its app's part of a project's structure from a template
  project to a new one (see `lider.projects.templates_copy`).
- `project_created`: told when a project is created in the back office (after any template's
  structure is copied), so recruitment gives it its first information clause.
- `invitation_accepted`: told when an invitation is accepted, so a participant's new account
  is linked to the applicant's record (recruitment).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    nip: str = ""
    regon: str = ""
    krs: str = ""
    city: str = ""


class LookupFailed(Exception):
    """The look-up gave no answer; the message is for the person who asked, in their language."""


# (krs) -> OrganisationDetails; raises LookupFailed. None: no look-up registered.
organisation_lookup: Callable[[str], OrganisationDetails] | None = None

# (label, copier(source, target, *, actor) -> int copied rows), in registration order.
structure_copiers: list[tuple[str, Callable]] = []


def register_organisation_lookup(lookup: Callable[[str], OrganisationDetails]) -> None:
    global organisation_lookup
    organisation_lookup = lookup


def register_structure_copier(label: str, copier: Callable) -> None:
    if all(existing is not copier for _, existing in structure_copiers):
        structure_copiers.append((label, copier))


# (invitation, user) -> None, called inside the transaction that accepts an invitation.
invitation_accepted: list[Callable] = []


def register_invitation_accepted(callback: Callable) -> None:
    if all(existing is not callback for existing in invitation_accepted):
        invitation_accepted.append(callback)


# (project, *, actor) -> None, called inside the transaction that creates a project.
project_created: list[Callable] = []


def register_project_created(callback: Callable) -> None:
    if all(existing is not callback for existing in project_created):
        project_created.append(callback)
