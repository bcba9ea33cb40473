"""Project-scoped access: which projects a user sees and what they may do in each.

Views declare their permission with `project_view("name")`; the name must be one of
`lider.core.permissions.PERMISSIONS`. The decorator loads the project from the URL, refuses
users without a role that grants the permission, refuses changes the project's state forbids
(an archived project is read-only: `frozen`), and hands the view the project.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lider.core.permissions import AUTHENTICATED, SAFE_METHODS, Role, allows_request, roles_with
from lider.projects.models import Membership, Project


def roles_in(user, project) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(Membership.objects.filter(user=user, project=project).values_list("role", flat=True))


def projects_for(user):
    """Projects where the user holds any role."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user).distinct()


def project_view(permission: str, *, any_state: bool = False):
    """Declare the permission a project view needs, and enforce it.

    `any_state`: the view's POST stays open in an archived or closed project (a right the
    law grants whatever the state, such as withdrawing a consent).
    """
    roles_with(permission)  # fail at import time on an undeclared name

    def decorate(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            project = get_object_or_404(Project, slug=slug)
            roles = roles_in(request.user, project)
            if not allows_request(roles, permission, request.method):
                raise PermissionDenied(refusal(roles, permission))
            if request.method not in SAFE_METHODS and not any_state:
                reason = frozen(project, permission)
                if reason:
                    raise PermissionDenied(reason)
            request.project, request.project_roles = project, roles
            request.project_read_only = read_only(project)
            return view(request, project, *args, **kwargs)

        wrapper.lider_permission = permission
        wrapper.lider_any_state = any_state or permission in ALWAYS_OPEN
        return wrapper

    return decorate


# POSTs open in every state: they read (an audited reveal, a download) or serve the data
# subject's rights, which the law grants whatever the project's state (art. 15-18, 21).
ALWAYS_OPEN = frozenset(
    {
        "personal.view_sensitive",
        "personal.export",
        "personal.subject_rights",
        "reporting.export",
        "certificates.export",
    }
)
# A closed project has finished its recruitment: no applications entered, decided or scored
# (reopening it to "running" opens them again).
SHUT_WHEN_CLOSED = frozenset({"recruitment.manage", "recruitment.decide", "recruitment.rules"})


def frozen(project, permission: str) -> str:
    """Why a change under `permission` is refused in the project's state ("" when it is not).

    `project_view` asks it for every request that may change something, so an archived
    project's back office is read-only in one place, whatever view is added later.
    """
    if permission in ALWAYS_OPEN:
        return ""
    if project.state == Project.State.ARCHIVED:
        return _(
            "This project is archived: its records are kept for the record only and can no "
            "longer be changed. Nothing has been saved."
        )
    if project.state == Project.State.CLOSED and permission in SHUT_WHEN_CLOSED:
        return _(
            "This project is closed: its recruitment is over, so applications can no longer "
            "be entered or decided. Nothing has been saved."
        )
    return ""


def read_only(project) -> bool:
    """Whether the project's back office shows no editing (the banner and hidden forms)."""
    return project.state == Project.State.ARCHIVED


def refusal(roles, permission: str) -> str:
    """Why a page is closed to these roles, in words for the person refused."""
    if allows_request(roles, permission, "GET"):
        return _("Your roles in this project allow reading only: nothing can be changed here.")
    allowed = ", ".join(str(Role(role).label) for role in Role if role in roles_with(permission))
    if not roles:
        return _(
            "You hold no role in this project, so its pages are closed to you. If you should "
            "have one, ask the project's coordinator."
        )
    held = ", ".join(str(Role(role).label) for role in Role if role in roles)
    return _(
        "This page is for: %(allowed)s. Your roles in this project (%(held)s) do not include "
        "it. If you need it, ask the project's coordinator."
    ) % {"allowed": allowed, "held": held}


def staff_view(view):
    """A back-office view outside any one project: it shows only what the user's roles allow."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.lider_permission = AUTHENTICATED
    return wrapper


def is_administrator(user) -> bool:
    """Superusers and holders of the administrator role in any project."""
    known = getattr(user, "lider_second_factor_required", None)  # read with the user's row
    if known is not None:
        return known
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    )


def administrators():
    """``is_administrator`` as an expression over the user's row (``OuterRef("pk")``): the
    request's user is loaded with it, so the second-factor gate asks no query of its own."""
    holders = Membership.objects.filter(user=OuterRef("pk"), role=Role.ADMINISTRATOR)
    return Q(is_superuser=True) | Exists(holders)
