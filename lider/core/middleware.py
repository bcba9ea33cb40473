"""Security headers that Django does not set by itself, the second-factor gate, and the page
shown when a document could not be made."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string

from lider.core.accounts import has_confirmed_device
from lider.core.render_pool import DocumentError

# No inline scripts or styles anywhere, so the policy can stay strict.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class SecondFactorMiddleware:
    """Back-office pages need a verified second factor from users who have one or must have one.

    Who must (administrators) is decided by the function named in LIDER_SECOND_FACTOR_REQUIRED,
    so that core stays free of the domains that define roles.
    """

    GUARDED = ("/biuro/", "/en/biuro/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.required = import_string(settings.LIDER_SECOND_FACTOR_REQUIRED)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(self.GUARDED)
            and not request.path.startswith(self._exempt())
            and not user.is_verified()
        ):
            if has_confirmed_device(user):
                return redirect_to_login(
                    request.get_full_path(), reverse("backoffice:second_factor")
                )
            if self.required(user):
                return redirect_to_login(
                    request.get_full_path(), reverse("backoffice:second_factor_setup")
                )
        return self.get_response(request)

    @staticmethod
    def _exempt() -> tuple[str, ...]:
        return tuple(
            reverse(name)
            for name in (
                "backoffice:login",
                "backoffice:logout",
                "backoffice:second_factor",
                "backoffice:second_factor_setup",
            )
        )


class DocumentErrorMiddleware:
    """A document (PDF) that could not be made answers a page saying why, in the visitor's
    language, with a way back: never a server error, whichever view asked for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DocumentError):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        context = {"message": exception.message, "back": back}
        return render(request, "core/document_error.html", context, status=exception.status)
