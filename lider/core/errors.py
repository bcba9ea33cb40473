"""Error pages in the site's layout and the visitor's language, each with a way back.

Django calls the handlers named in `lider.urls` for 400, 403, 404 and 500; `ErrorPageMiddleware`
gives the same treatment to bare 405 and 429 responses (a `require_POST` refusal, a rate
limit answered without a page). The 500 page is rendered from a static context, without the
request's context processors, so it needs neither the database nor the session.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _back(request) -> str:
    """The page the visitor came from, if it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def error_page(request, status: int, *, message: str = "", exception=None):
    try:
        back = _back(request)
    except Exception:  # a bad Host header is itself the error being reported
        back = ""
    return render(
        request, f"errors/{status}.html", {"message": message, "back": back}, status=status
    )


def bad_request(request, exception):
    # Rendered without the request's context: the request may be what is broken (bad Host).
    html = loader.render_to_string("errors/400.html", {"message": "", "back": ""})
    return _plain(html, 400)


def permission_denied(request, exception):
    """The reason given with PermissionDenied is shown: it is written for the visitor."""
    message = str(exception) if exception is not None and exception.args else ""
    return error_page(request, 403, message=message)


def page_not_found(request, exception):
    # Never the exception's text: it names models and queries.
    return error_page(request, 404)


def server_error(request):
    html = loader.render_to_string("errors/500.html", {"message": "", "back": ""})
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    return error_page(
        request,
        403,
        message=_(
            "The form could not be accepted because it has expired or was opened in another "
            "window. Go back, reload the page and send the form again."
        ),
    )


def _plain(html: str, status: int):
    from django.http import HttpResponse

    return HttpResponse(html, status=status)


class ErrorPageMiddleware:
    """Gives bare 405 and 429 responses (no HTML of their own) the site's error page."""

    STATUSES = {405, 429}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in self.STATUSES or getattr(response, "streaming", False):
            return response
        if response.content and response.get("Content-Type", "").startswith("text/html"):
            return response  # the view wrote its own page
        page = error_page(request, response.status_code)
        for header in ("Allow", "Retry-After"):
            if header in response:
                page[header] = response[header]
        return page
