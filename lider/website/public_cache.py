"""The public project page and results page, cached per project, language and day.

The content of each page (everything under the site's header) is kept in Django's cache under a
key holding the project's cache token; a change to anything the pages show drops the token (see
``apps.WebsiteConfig.ready``), so the next request renders afresh. The day is in the key because
the results page says whether the project has ended. The header (login state, CSRF token) is
rendered on every request and never cached. Only with a shared cache (Redis):
``LIDER_CACHE_PUBLIC_PAGES`` is on when ``REDIS_URL`` is set.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

TIMEOUT = 60 * 60 * 24  # a day; changes drop entries at once, this only bounds stale memory
GLOBAL = "lider:public:token"  # organisations, programme and territory: every project's pages


def _token_key(project_id: int) -> str:
    return f"lider:public:token:{project_id}"


def _tokens(project_id: int) -> str:
    keys = [GLOBAL, _token_key(project_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "none"
    return f"{found[GLOBAL]}.{found[_token_key(project_id)]}"


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


def _drop(key: str) -> None:
    cache.delete(key)
    # Once more when the change commits: a request that read the old rows before the commit
    # may have stored them under a token made in between.
    transaction.on_commit(lambda: cache.delete(key))


def forget_project(project_id) -> None:
    if project_id is not None:
        _drop(_token_key(project_id))


def forget_all() -> None:
    _drop(GLOBAL)
