"""Views for administrators of the installation, outside any one project.

Who is one is decided by the function named in LIDER_INSTALLATION_ADMINISTRATOR, so that core
stays free of the domains that define roles.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lider.core.permissions import INSTALLATION


def is_installation_administrator(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and import_string(settings.LIDER_INSTALLATION_ADMINISTRATOR)(user)
    )


def installation_view(view):
    """A back-office view only administrators of the installation may open."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_installation_administrator(request.user):
            raise PermissionDenied(_("This page is for administrators of the installation."))
        return view(request, *args, **kwargs)

    wrapper.lider_permission = INSTALLATION
    return wrapper
