"""The language switch: the same page in the other language, from any page, both ways."""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def language_of(url: str | None) -> str:
    """The language a page address is in: its prefix (``/en/…``), else the default language."""
    try:
        path = unquote(urlsplit(url or "").path)
    except ValueError:  # not an address at all ("http://["): Django then sends the visitor home
        return settings.LANGUAGE_CODE
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def set_language(request):
    """Django's ``set_language``, resolving the page to translate in the page's own language.

    Django resolves ``next`` in the language active for ``/i18n/setlang/`` itself (the cookie or
    the default), so ``/en/…`` did not resolve under Polish and the visitor was sent back to the
    English page. Resolving it in the language of its own address finds the page, and the page
    is then reversed in the chosen language (translated URL patterns included).

    The switch on every page is a GET form: choosing a language only changes the visitor's own
    view, and a page without a form that needs a CSRF token is the same for every anonymous
    visitor, so it can be cached whole (``lider.website.public_cache``). A POST works as before.
    """
    if request.method == "GET" and "language" in request.GET:
        # Django's view takes the choice from a POST only: give it the query as one.
        request.POST, request.method = request.GET, "POST"
    if request.method == "POST" and request.POST.get("language") not in dict(settings.LANGUAGES):
        # Django accepts any language it has a catalogue for (German…): only the site's own.
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    next_url = request.POST.get("next", request.GET.get("next")) or request.META.get("HTTP_REFERER")
    with translation.override(language_of(next_url)):
        return django_set_language(request)
