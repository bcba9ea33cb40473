"""The language switch sends every page to its own counterpart in the other language."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter
from django.utils import translation

from lider.core.i18n import language_of

SAMPLE = {IntConverter: 7, SlugConverter: "lider-na-rynku"}


def _pages(patterns=None, namespace="", converters=None):
    """Every named page of the site with the converters of its parameters (outer includes too)."""
    converters = converters or {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        # Route patterns name their converters; regex patterns only their groups.
        groups = dict.fromkeys(pattern.pattern.regex.groupindex)
        found = {**converters, **groups, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _pages(pattern.url_patterns, inner, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", found


PAGES = dict(_pages())


def _url(name: str, lang: str) -> str:
    """The page's address in a language, sample values filled in for its parameters."""
    kwargs = {
        key: SAMPLE.get(type(converter), "ABCD-2345") for key, converter in PAGES[name].items()
    }
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def _public_pages() -> list[str]:
    """Every page outside the back office and the admin that has a language (an English
    address under /en/), found by walking the URL patterns."""
    return sorted(
        name
        for name in PAGES
        if not name.startswith("admin:")
        and not _url(name, "pl").startswith(("/biuro/", "/admin/"))
        and _url(name, "en").startswith("/en/")
    )


PUBLIC = _public_pages()
# Addresses outside the language patterns (the switch itself, a health check for machines):
# one address for both languages.
LANGUAGELESS = sorted(name for name in PAGES if not _url(name, "en").startswith("/en/"))


def test_every_public_page_is_listed():
    """The walk finds the public pages the site is known for (a guard on the walk itself)."""
    for name in (
        "website:home",
        "website:project",
        "website:results",
        "recruitment_public:apply",
        "recruitment_public:sent",
        "certification_public:verify_form",
        "certification_public:verify",
        "delivery_public:project_calendar",
    ):
        assert name in PUBLIC


def _switch(client, next_url: str, language: str):
    return client.post("/i18n/setlang/", {"next": next_url, "language": language})


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["website:home", "certification_public:verify_form"])
def test_the_switch_on_the_page_is_a_get_form_that_works(client, name):
    """The page's own switch: a GET form (no CSRF token: anonymous pages are cached whole)."""
    polish, english = _url(name, "pl"), _url(name, "en")
    body = client.get(polish).content.decode()
    form = re.search(r'<form action="/i18n/setlang/" method="get"[^>]*>(.*?)</form>', body, re.S)
    assert form and "csrfmiddlewaretoken" not in form[1]

    to_english = client.get("/i18n/setlang/", {"next": polish, "language": "en"})

    assert to_english.status_code == 302
    assert to_english.url == english
    assert to_english.cookies["django_language"].value == "en"
    assert client.get("/i18n/setlang/", {"next": english, "language": "pl"}).url == polish
    refused = client.get("/i18n/setlang/", {"next": english, "language": "de"})
    assert refused.url == english and "django_language" not in refused.cookies


@pytest.mark.parametrize("name", LANGUAGELESS)
def test_an_address_without_a_language_stays_as_it_is(client, name):
    url = _url(name, "pl")
    assert _switch(client, url, "en").url == url
    assert _switch(client, url, "pl").url == url


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("cookie", [None, "pl", "en"])
def test_public_page_switches_both_ways(client, name, cookie):
    """From Polish to English and back, whatever language the cookie held before."""
    polish, english = _url(name, "pl"), _url(name, "en")
    assert english.startswith("/en/")
    if cookie:
        client.cookies["django_language"] = cookie
    to_english = _switch(client, polish, "en")
    assert to_english.status_code == 302
    assert to_english.url == english
    assert to_english.cookies["django_language"].value == "en"
    to_polish = _switch(client, english, "pl")
    assert to_polish.status_code == 302
    assert to_polish.url == polish
    assert to_polish.cookies["django_language"].value == "pl"


def test_translated_addresses_really_differ():
    """The public pages have Polish addresses of their own, not only an /en/ prefix."""
    assert _url("certification_public:verify_form", "pl") == "/weryfikacja/"
    assert _url("certification_public:verify_form", "en") == "/en/verification/"


@pytest.mark.parametrize(
    ("polish", "english"),
    [
        ("/biuro/projekty/", "/en/biuro/projekty/"),
        ("/biuro/projekty/lider-na-rynku/", "/en/biuro/projekty/lider-na-rynku/"),
    ],
)
def test_back_office_page_switches_both_ways(client, polish, english):
    assert _switch(client, polish, "en").url == english
    assert _switch(client, english, "pl").url == polish


def test_query_string_and_fragment_are_kept(client):
    response = _switch(client, "/en/verification/?code=AB12#result", "pl")
    assert response.url == "/weryfikacja/?code=AB12#result"


def test_referer_is_used_when_next_is_missing(client):
    response = client.post(
        "/i18n/setlang/", {"language": "pl"}, HTTP_REFERER="http://testserver/en/verification/"
    )
    assert response.url == "http://testserver/weryfikacja/"


def test_foreign_next_is_refused(client):
    response = _switch(client, "https://example.com/en/verification/", "pl")
    assert response.url == "/"


@pytest.mark.parametrize(
    "hostile", ["http://[", "//[::1", "/en/\x00/", "javascript:alert(1)", "/" + "a" * 5000]
)
def test_hostile_next_never_fails(client, hostile):
    for language in ("pl", "en"):
        response = _switch(client, hostile, language)
        assert response.status_code == 302
        assert response.url.startswith("/")
        assert "\x00" not in response.url


def test_unknown_language_changes_nothing(client):
    response = _switch(client, "/en/verification/", "de")
    assert response.url == "/en/verification/"
    assert "django_language" not in response.cookies


@pytest.mark.parametrize(
    ("url", "language"),
    [
        ("/en/verification/", "en"),
        ("/weryfikacja/", "pl"),
        ("http://testserver/en/", "en"),
        ("http://[", "pl"),
        ("", "pl"),
        (None, "pl"),
    ],
)
def test_language_of(url, language):
    assert language_of(url) == language
