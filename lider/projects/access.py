"""Project-scoped access: which projects a user sees and what they may do in each.

Views declare their permission with `project_view("name")`; the name must be one of
`lider.core.permissions.PERMISSIONS`. The decorator loads the project from the URL, refuses
users without a role that grants the permission, and hands the view the project.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lider.core.permissions import AUTHENTICATED, Role, allows, roles_with
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


def project_view(permission: str):
    """Declare the permission a project view needs, and enforce it."""
    roles_with(permission)  # fail at import time on an undeclared name

    def decorate(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            project = get_object_or_404(Project, slug=slug)
            roles = roles_in(request.user, project)
            if not allows(roles, permission):
                raise PermissionDenied(refusal(roles, permission))
            request.project, request.project_roles = project, roles
            return view(request, project, *args, **kwargs)

        wrapper.lider_permission = permission
        return wrapper

    return decorate


def refusal(roles, permission: str) -> str:
    """Why a page is closed to these roles, in words for the person refused."""
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
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    )
