"""Back-office pages kept whole, per worker, for the signed-in visitor they were made for.

A page opts in with ``kept_page`` (the roll-up, a project's indicators dashboard: pages that
read many rows and are asked often). The first GET renders as always; the page is then kept in
the worker's memory (``lider.core.page_store``) under the visitor's session cookie and CSRF
cookie, the full path and the day, with the values it was made under, read before the view ran:
  - the session's record in the cache (``cached_db`` sessions): a logout, a new login, a second
    factor confirmed or a message added changes or removes it;
  - the user's token: dropped by any change to the account, its roles or its second-factor
    devices (``connect``);
  - the page's data tokens: dropped by the changes that affect what it shows (``forget_project``
    from the invalidation signals of the public pages, of the measure totals and of the
    applications).
A later GET from the same session and browser is answered by ``KeptPageMiddleware`` (right
after the session middleware) when one cache round trip finds every value unchanged: no query,
no template. Otherwise it goes through the whole stack as before. Nothing is kept for a visitor
with pending messages, for an error, a stream, a page setting a cookie other than the CSRF
renewal, or when ``LIDER_CACHE_BACKOFFICE_PAGES`` is off (it is on when ``REDIS_URL`` is set:
a per-process memory cache could not tell one worker of another's change).
"""

import functools
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from lider.core import page_store

DATA = "lider:kept:data"  # every project's data: pages over many projects (the roll-up)
SHARED = "lider:kept:shared"  # what every project's pages show: organisations, programme, places


def project_data_token(project_id: int) -> str:
    return f"lider:kept:data:{project_id}"


def user_token(user_id) -> str:
    return f"lider:kept:user:{user_id}"


def _session_record_key(session_key: str) -> str:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key).cache_key


def _page_key(request) -> tuple | None:
    """Whose page this is: their session and CSRF cookies, the address, the day; None when the
    request is not one a kept page may answer."""
    if not settings.LIDER_CACHE_BACKOFFICE_PAGES or request.method != "GET":
        return None
    if not hasattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key"):
        return None  # sessions not in the cache: nothing to check a kept page against
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or CookieStorage.cookie_name in request.COOKIES:
        return None
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return (session_key, csrf, request.get_full_path(), timezone.localdate())


class KeptPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request._lider_kept_key = _page_key(request)
        if key is not None:
            page = page_store.store.get(key)
            if page is not None and page_store.current(page, recheck_seconds=0):
                response = page_store.response(page)
                patch_vary_headers(response, ("Cookie",))  # as the session middleware would
                return response
        response = self.get_response(request)
        made_under = getattr(request, "_lider_kept_under", None)
        if key is not None and made_under is not None and _keepable(request, response):
            page_store.keep(key, made_under, response)
        return response


def _keepable(request, response) -> bool:
    # The CSRF middleware renews its cookie on every page that shows a token: when it is the
    # visitor's own (the one the key holds) the page's tokens stay valid for them; a new one
    # (a visitor who had none) is never kept.
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    renewed = response.cookies.get(settings.CSRF_COOKIE_NAME)
    cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and csrf
        and (renewed is None or renewed.value == csrf)
        and not response.streaming
        and not cookies
        and session is not None
        and "_messages" not in session
        and not getattr(request, "_messages", None)
    )


def kept_page(data_tokens):
    """Keep the view's page (see the module). ``data_tokens(request, **kwargs)`` names the
    tokens of the data the page shows; it may read the database (before the view does)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            # The middleware's key: None when the request is not one a kept page may answer.
            if getattr(request, "_lider_kept_key", None) and request.user.is_authenticated:
                _read_before(request, data_tokens(request, **kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _read_before(request, data_keys) -> None:
    session_key = request.COOKIES[settings.SESSION_COOKIE_NAME]
    record = _session_record_key(session_key)
    keys = [record, user_token(request.user.pk), *data_keys]
    made_under = page_store.read_tokens(keys, given={record})
    # The user as they are now, after the tokens were read: a change committed between the
    # middleware's loading of the user and this read is then seen here, or drops the token.
    fresh = auth.get_user(request)
    if made_under[1][0] is not None and fresh.pk == request.user.pk and fresh.is_active:
        request._lider_kept_under = made_under


def data_tokens(project_id) -> list[str]:
    """The tokens a change to a project's data drops: its pages', and those over many projects."""
    return [DATA] if project_id is None else [project_data_token(project_id), DATA]


def forget_project(project_id) -> None:
    page_store.drop(*data_tokens(project_id))


def forget_user(user_id) -> None:
    if user_id is not None:
        page_store.drop(user_token(user_id))


def _user_changed(sender, instance, **kwargs):
    forget_user(instance.pk)


def _held_by_user_changed(sender, instance, **kwargs):
    forget_user(instance.user_id)


def _users_relation_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action.startswith("post_"):
        for pk in (pk_set or ()) if reverse else [instance.pk]:
            forget_user(pk)


def connect(*held) -> None:
    """Drop a user's kept pages when their account, its groups and permissions, their
    second-factor devices or the ``held`` models (rows with a ``user``: roles) change."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from django_otp.models import Device

    user = auth.get_user_model()
    devices = [m for m in apps.get_models() if issubclass(m, Device)]
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(_user_changed, sender=user, dispatch_uid=f"lider.kept.user.{name}")
        for model in [*devices, *held]:
            uid = f"lider.kept.{model._meta.label}.{name}"
            signal.connect(_held_by_user_changed, sender=model, dispatch_uid=uid)
    for relation in (user.groups, user.user_permissions):
        uid = f"lider.kept.user.{relation.field.name}"
        m2m_changed.connect(_users_relation_changed, sender=relation.through, dispatch_uid=uid)
