"""The public project page and results page, cached per project, language and day.

The content of each page (everything under the site's header) is kept in Django's cache under a
key holding the project's cache token; a change to anything the pages show drops the token (see
``apps.WebsiteConfig.ready``), so the next request renders afresh. The day is in the key because
the results page says whether the project has ended. The header (login state, CSRF token) is
rendered on every request and never cached. Only with a shared cache (Redis):
``LIDER_CACHE_PUBLIC_PAGES`` is on when ``REDIS_URL`` is set.

For visitors who send no cookie but the CSRF one (no session, no messages: every anonymous
visitor gets the same page, which carries no CSRF token) the whole page is kept in the worker's
own memory as well (``cached_page``, ``kept``), under the tokens it was made with, and answered
by ``PublicPageMiddleware`` near the top of the stack: a hit runs no query, no template, no
session or URL resolution. By default each hit reads the page's tokens from the shared cache
(one round trip), so a change made anywhere (this worker, another one, the task worker) shows on
the very next request. ``LIDER_PUBLIC_PAGE_RECHECK`` seconds above 0 let a worker trust its copy
that long after it last saw the tokens unchanged (a change made elsewhere then shows within that
bound; one made in this worker still drops its copies at once).
"""

import contextvars
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from lider.core import kept_pages, page_store

TIMEOUT = 60 * 60 * 24  # a day; changes drop entries at once, this only bounds stale memory
GLOBAL = "lider:public:token"  # organisations, programme and territory: every project's pages


def _token_key(project_id: int) -> str:
    return f"lider:public:token:{project_id}"


# The tokens the page being rendered was made under: set by cached_content, read by cached_page.
_made_under: contextvars.ContextVar = contextvars.ContextVar("lider_public_tokens", default=None)


def certificate_token_key(code: str) -> str:
    """The token of one certificate's verification page (dropped by its changes)."""
    return f"lider:public:certificate:{code}"


def _tokens(project_id: int) -> str:
    made_under = page_store.read_tokens([GLOBAL, _token_key(project_id)])
    _made_under.set(made_under)
    return ".".join(made_under[1])


def cached_content(kind: str, project, template: str, context) -> str:
    """The rendered ``template`` for ``project``; ``context`` is called only when not cached."""
    if not settings.LIDER_CACHE_PUBLIC_PAGES:
        return mark_safe(render_to_string(template, context()))  # noqa: S308 - our template
    key = ":".join(
        [
            "lider:public",
            kind,
            str(project.pk),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            _tokens(project.pk),
        ]
    )
    content = cache.get(key)
    if content is None:
        content = render_to_string(template, context())
        cache.set(key, content, TIMEOUT)
    return mark_safe(content)  # noqa: S308 - rendered by our template, escaped there


def _anonymous(request) -> bool:
    """A plain GET from a visitor with no session and no messages: the page is everyone's."""
    return (
        settings.LIDER_CACHE_PUBLIC_PAGES
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


@dataclass
class _Keep:
    """Set on the request by a view whose page may be kept: the tokens it was made under."""

    made_under: tuple[tuple, tuple]
    admits: object = None


class PublicPageMiddleware:
    """Answers an anonymous visitor's GET with the page kept for its path while its tokens hold,
    before sessions, authentication, locale and URL resolution run (the path holds the language:
    Polish pages have no prefix, English ones ``/en/``). On the way out keeps a page its view
    marked (``cached_page``, ``kept``) with every header the stack below gave it; the security
    headers above are added to each answer. A page with ``admits`` (verification's per-address
    limit) asks it before each hit; a refused request goes down the stack, which refuses it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read by the views (``_keeping``): they mark a page only when it may be kept here.
        key = request._lider_public_key = _page_key(request) if _anonymous(request) else None
        if key is not None:
            page = page_store.store.get(key)
            if (
                page is not None
                and page_store.current(page, settings.LIDER_PUBLIC_PAGE_RECHECK)
                and (page.admits is None or page.admits(request))
            ):
                return page_store.response(page)
        response = self.get_response(request)
        keep = getattr(request, "_lider_public_keep", None)
        if key is not None and keep is not None and _keepable(request, response):
            page_store.keep(key, keep.made_under, response, keep.admits)
        return response


def _keeping(request) -> bool:
    """Whether ``PublicPageMiddleware`` will keep this request's page (it decided on the way in)."""
    return getattr(request, "_lider_public_key", None) is not None


def _page_key(request) -> tuple:
    # The host is asked first: one not allowed is refused (400) as below, never served a page.
    return (request.get_host(), request.path, timezone.localdate())


def _keepable(request, response) -> bool:
    """Not kept: an error, a stream, a response setting a cookie, or one that rendered a CSRF
    token."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def kept(request, token_keys: list[str], render, admits=None):
    """A public page that depends only on the rows behind ``token_keys``: made by ``render()``
    (which answers the response and whether it may be kept) and, for anonymous visitors, kept
    by ``PublicPageMiddleware`` under the tokens read before it ran (so a change committed
    meanwhile is never kept as current)."""
    if not _keeping(request):
        return render()[0]
    made_under = page_store.read_tokens(token_keys)
    response, keepable = render()
    if keepable:
        request._lider_public_keep = _Keep(made_under, admits)
    return response


def cached_page(view):
    """A public page (a view taking the project's slug) kept by ``PublicPageMiddleware`` for
    anonymous visitors under the tokens of ``cached_content`` it was made under.

    An anonymous page carries no CSRF token (the language switch is a GET form; ``base.html``
    gives the token to signed-in users only), so its bytes are the same for every visitor."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        marker = _made_under.set(None)
        try:
            response = view(request, *args, **kwargs)
            made_under = _made_under.get()
        finally:
            _made_under.reset(marker)
        if made_under is not None and _keeping(request):
            request._lider_public_keep = _Keep(made_under)
        return response

    return wrapper


def forget_project(project_id) -> None:
    if project_id is not None:
        # With the back office's kept pages that show the same rows, in one round trip.
        page_store.drop(_token_key(project_id), *kept_pages.data_tokens(project_id))


def forget_certificates(codes) -> None:
    for code in codes:
        page_store.drop(certificate_token_key(code))


def forget_all() -> None:
    page_store.drop(GLOBAL, kept_pages.SHARED, kept_pages.DATA)
