"""Absolute addresses of Lider's own pages, the one place that builds them.

A link made for a request (a page, a calendar feed fetched by a calendar app) uses the address
the visitor reached: the request's scheme and host, which Django checks against
ALLOWED_HOSTS (an unknown host is refused with 400 before any link is made). A link made
outside a request, or kept beyond it (a background task, an e-mail, a printed PDF and its QR
code), uses SITE_URL, the site's public address; ``lider serve ADDRESS`` sets it to that
address unless it is configured.
"""

from django.conf import settings
from django.http import HttpRequest


def site_url() -> str:
    """The configured public address, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of ``path`` (as from ``reverse``) on this site."""
    if not path.startswith("/"):
        raise ValueError(f"expected a path from the site's root, not {path!r}")
    if request is not None:
        return request.build_absolute_uri(path)
    return site_url() + path
