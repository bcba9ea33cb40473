"""Every back-office URL × every role → allowed or forbidden, as PERMISSIONS declares.

The URL list is read from the URL configuration, so a new back-office view without a declared
permission fails `test_every_backoffice_view_declares_a_permission`.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path

from lider.core.permissions import (
    AUTHENTICATED,
    INSTALLATION,
    PERMISSIONS,
    PUBLIC,
    Role,
    allows,
)
from tests.factories import ProjectFactory, member

BACKOFFICE = re.compile(r"^(en/)?biuro/")


def walk(resolver=None, prefix=""):
    """(route, callback) for every URL pattern, with the routes of includes joined."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def backoffice_views(resolver=None):
    return [(route, view) for route, view in walk(resolver) if BACKOFFICE.match(route)]


def undeclared(views):
    return [
        route
        for route, view in views
        if getattr(view, "lider_permission", None)
        not in {*PERMISSIONS, PUBLIC, AUTHENTICATED, INSTALLATION}
    ]


def test_every_backoffice_view_declares_a_permission():
    assert backoffice_views(), "no back-office URL found: the matrix would test nothing"
    assert undeclared(backoffice_views()) == []


def test_an_undeclared_view_is_caught():
    def sneaky(request):
        raise AssertionError("never called")

    class FakeConf:
        urlpatterns = [path("biuro/sneaky/", sneaky)]

    from django.urls.resolvers import RegexPattern
    from django.urls.resolvers import URLResolver as Resolver

    resolver = Resolver(RegexPattern(r"^/"), FakeConf)
    views = backoffice_views(resolver)
    assert [route for route, _ in views] == ["biuro/sneaky/"]
    assert undeclared(views) == ["biuro/sneaky/"]


def concrete_url(route: str, slug: str) -> str:
    """A URL for the route: the project's slug, and a missing id (999999) for other objects."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = route.replace("<slug:slug>", slug)
    route = re.sub(r"<int:\w+>", "999999", route)
    route = re.sub(r"<(?:str:)?\w+>", "people.Person", route)
    return "/" + route


PROJECT_VIEWS = [
    (route, view)
    for route, view in backoffice_views()
    if getattr(view, "lider_permission", None) in PERMISSIONS
]


def _membership(project):
    return member(project, Role.TRAINER).memberships.get().pk


def _invitation(project):
    from django.utils import timezone

    from lider.projects.models import Invitation

    return Invitation.objects.create(
        project=project,
        email=f"zaproszona{Invitation.objects.count()}@example.org",
        first_name="Ewa",
        last_name="Nowak",
        role=Role.TRAINER,
        invited_by=member(project, Role.ADMINISTRATOR),
        nonce="n",
        sent_at=timezone.now(),
    ).pk


# Routes whose ids are filled with real objects of the project, so that "allowed" means the
# view answered for a real object (not a 404 before any object-level check). Add yours.
REAL_OBJECTS = {
    "<slug:slug>/role/<int:pk>/odbierz/": _membership,
    "<slug:slug>/zaproszenia/<int:pk>/wyslij-ponownie/": _invitation,
    "<slug:slug>/zaproszenia/<int:pk>/wycofaj/": _invitation,
}


def real_url(route: str, project) -> str | None:
    for suffix, make in REAL_OBJECTS.items():
        if route.endswith(suffix):
            return "/" + route.replace("<slug:slug>", project.slug).replace(
                "<int:pk>", str(make(project))
            )
    return None


def test_real_object_routes_exist():
    routes = [route for route, _ in PROJECT_VIEWS]
    for suffix in REAL_OBJECTS:
        assert any(route.endswith(suffix) for route in routes), suffix


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "route, view",
    [
        (route, view)
        for route, view in PROJECT_VIEWS
        if any(route.endswith(s) for s in REAL_OBJECTS)
    ],
    ids=[route for route, _ in PROJECT_VIEWS if any(route.endswith(s) for s in REAL_OBJECTS)],
)
def test_matrix_with_real_objects(client, role, route, view):
    project = ProjectFactory()
    user = member(project, role)
    if role == Role.ADMINISTRATOR:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    else:
        client.force_login(user)
    expected_allowed = allows({role}, view.lider_permission)
    for method in ("get", "post"):
        url = real_url(route, project)
        status = getattr(client, method)(url).status_code
        if expected_allowed:
            assert status not in {403, 404}, f"{role} should reach {method.upper()} {url}"
        else:
            assert status == 403, f"{role} should be refused {method.upper()} {url} ({status})"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route, view", PROJECT_VIEWS, ids=[route for route, _ in PROJECT_VIEWS])
def test_matrix(client, role, route, view):
    project = ProjectFactory()
    client.force_login(member(project, role))
    url = concrete_url(route, project.slug)
    expected_allowed = allows({role}, view.lider_permission)
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        if expected_allowed:
            assert status != 403, f"{role} should reach {method.upper()} {url}"
        else:
            assert status == 403, f"{role} should be refused {method.upper()} {url} ({status})"


@pytest.mark.django_db
@pytest.mark.parametrize("route, view", PROJECT_VIEWS, ids=[route for route, _ in PROJECT_VIEWS])
def test_no_role_in_this_project_means_forbidden(client, route, view):
    mine, theirs = ProjectFactory(), ProjectFactory()
    client.force_login(member(mine, Role.COORDINATOR))
    member(theirs, Role.AUDITOR)
    status = client.get(concrete_url(route, theirs.slug)).status_code
    assert status == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route, view", PROJECT_VIEWS, ids=[route for route, _ in PROJECT_VIEWS])
def test_anonymous_is_sent_to_login(client, route, view):
    project = ProjectFactory()
    response = client.get(concrete_url(route, project.slug))
    assert response.status_code == 302
    assert "/biuro/logowanie/" in response.url


INSTALLATION_VIEWS = [
    (route, view)
    for route, view in backoffice_views()
    if getattr(view, "lider_permission", None) == INSTALLATION
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "route, view", INSTALLATION_VIEWS, ids=[route for route, _ in INSTALLATION_VIEWS]
)
def test_installation_views_are_for_administrators_only(client, role, route, view):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = member(ProjectFactory(), role)
    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    # Installation views take the id of an account: a real one, so "allowed" can fail.
    from tests.factories import UserFactory

    url = re.sub(r"999999", str(UserFactory().pk), concrete_url(route, "x"))
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        if role == Role.ADMINISTRATOR:
            assert status not in {403, 404}, f"{role} should reach {method.upper()} {url}"
        else:
            assert status == 403, f"{role} should be refused {method.upper()} {url} ({status})"
