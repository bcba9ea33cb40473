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
    allows_request,
)
from tests.demo_ids import (
    application_ids,
    certificate_task_ids,
    demo_objects,
    entity_ids,
    indicator_ids,
    person_ids,
    session_ids,
    task_ids,
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
    for method in ("get", "post"):
        expected_allowed = allows_request({role}, view.lider_permission, method)
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
    for method in ("get", "post"):
        expected_allowed = allows_request({role}, view.lider_permission, method)
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


# Every project route with ids, probed with real objects of the demo project (one of each
# kind: `demo_objects`), so "allowed" means the view answered for a real object of the project
# and not a 404 before any object-level check. Keys end the route; values give its ids.
REAL_IDS = {
    "role/<int:pk>/odbierz/": lambda d: {"pk": d["membership"].pk},
    "zaproszenia/<int:pk>/wyslij-ponownie/": lambda d: {"pk": d["invitation"].pk},
    "zaproszenia/<int:pk>/wycofaj/": lambda d: {"pk": d["invitation"].pk},
    "pokaz/<str:model>/<int:pk>/<str:field>/": lambda d: {
        "model": "people.Person",
        "pk": d["person"].person_id,
        "field": "pesel",
    },
    "osoby/<int:pk>/": person_ids,
    "osoby/<int:pk>/ukonczenie/": person_ids,
    "osoby/<int:pk>/dane/": person_ids,
    "osoby/<int:pk>/sprostowania/<int:correction>/przyjmij/": lambda d: {
        "pk": d["correction"].person_id,
        "correction": d["correction"].pk,
    },
    "osoby/<int:pk>/sprostowania/<int:correction>/odrzuc/": lambda d: {
        "pk": d["correction"].person_id,
        "correction": d["correction"].pk,
    },
    "osoby/<int:pk>/dane.<str:fmt>": lambda d: {**person_ids(d), "fmt": "json"},
    "osoby/<int:pk>/rezygnacja/": person_ids,
    "osoby/<int:pk>/sytuacja/": person_ids,
    "osoby/<int:pk>/ograniczenie/": person_ids,
    "osoby/<int:pk>/ograniczenie/zniesienie/": person_ids,
    "osoby/<int:pk>/usuniecie/": person_ids,
    "instytucje/<int:pk>/": lambda d: {"pk": d["institution"].institution_id},
    "instytucje/<int:pk>/daty/": lambda d: {"pk": d["institution"].institution_id},
    "rekrutacja/<int:pk>/": application_ids,
    "rekrutacja/<int:pk>/decyzja/": application_ids,
    "rekrutacja/<int:pk>/tozsamosc/": application_ids,
    "rekrutacja/<int:pk>/rezygnacja/": application_ids,
    "rekrutacja/<int:pk>/potwierdz/": application_ids,
    "rekrutacja/zgody/<int:pk>/wycofaj/": lambda d: {"pk": d["consent"].pk},
    "podmioty/<int:pk>/": entity_ids,
    "podmioty/<int:pk>/edycja/": entity_ids,
    "podmioty/<int:pk>/krs/": entity_ids,
    "podmioty/<int:pk>/potwierdz/": entity_ids,
    "wskazniki/<int:pk>/": indicator_ids,
    "wskazniki/<int:pk>/edycja/": indicator_ids,
    "wskazniki/<int:pk>/usun/": indicator_ids,
    "migawki/<int:pk>/": lambda d: {"pk": d["values"][0].snapshot_id},
    "migawki/<int:pk>/<int:value_pk>/": lambda d: {
        "pk": d["values"][0].snapshot_id,
        "value_pk": d["values"][0].pk,
    },
    "rejestr.<str:fmt>": lambda d: {"fmt": "xlsx"},
    "eksport/<str:profile>/": lambda d: {"profile": "sl2014"},
    "eksport/<str:profile>/braki/": lambda d: {"profile": "sl2014"},
    "eksport/pliki/<int:pk>/": lambda d: {"pk": d["job"].pk},
    "rekrutacja/import/zadania/<int:pk>/": lambda d: {"pk": d["import_job"].pk},
    "eksport/pliki/<int:pk>/pobierz/": lambda d: {"pk": d["job"].pk},
    "zajecia/<int:pk>/": session_ids,
    "zajecia/<int:pk>/edycja/": session_ids,
    "zajecia/<int:pk>/obecnosc/wszyscy/": session_ids,
    "zajecia/<int:pk>/obecnosc/<int:participant>/": lambda d: {
        "pk": d["session"].pk,
        "participant": d["enrolment"].participant_id,
    },
    "zajecia/<int:pk>/lista.pdf": session_ids,
    "zajecia/<int:pk>/lista-podpisana/": session_ids,
    "zajecia/<int:pk>/lista-podpisana/wgraj/": session_ids,
    "zajecia/<int:pk>/zapisy/": session_ids,
    "zajecia/<int:pk>/zapisy/<int:booking>/anuluj/": lambda d: {
        "pk": d["booking"].session_id,
        "booking": d["booking"].pk,
    },
    "zajecia/zadania/<int:task>/": task_ids,
    "zajecia/zadania/<int:task>/zapisz/": task_ids,
    "zajecia/zadania/<int:task>/zapisy/<int:enrolment>/status/": lambda d: {
        **task_ids(d),
        "enrolment": d["enrolment"].pk,
    },
    "zajecia/zadania/<int:task>/uczestnicy/<int:participant>/": lambda d: {
        **task_ids(d),
        "participant": d["enrolment"].participant_id,
    },
    "certyfikaty/<int:pk>/": lambda d: {"pk": d["certificate"].pk},
    "certyfikaty/<int:pk>/pdf/": lambda d: {"pk": d["certificate"].pk},
    "certyfikaty/<int:pk>/uniewaznij/": lambda d: {"pk": d["certificate"].pk},
    "certyfikaty/zadania/<int:task_pk>/": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/regula/": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/testy/": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/testy/import/": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/wydaj/<int:participant_pk>/": lambda d: {
        **certificate_task_ids(d),
        "participant_pk": d["certificate"].participant_id,
    },
    "certyfikaty/zadania/<int:task_pk>/wydaj-wszystkim/": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/zaswiadczenia.pdf": certificate_task_ids,
    "certyfikaty/zadania/<int:task_pk>/zaswiadczenia.zip": certificate_task_ids,
    "certyfikaty/przebiegi/<int:pk>/": lambda d: {"pk": d["run"].pk},
}

# Routes with parameters that name no object of the project, and why they need none.
NO_OBJECT = {
    # The token is a key in the visitor's own session (an upload they made); another user's
    # token is unknown to their session, so there is no object to probe across roles
    # (tests/recruitment/test_import.py covers it).
    "rekrutacja/import/<str:token>/": "session token",
    "rekrutacja/import/<str:token>/anuluj/": "session token",
}

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
ID_VIEWS = [
    (route, view)
    for route, view in PROJECT_VIEWS
    if set(PARAMETER.findall(route)) - {"slug"} and not route.startswith("en/")
]


def real_ids_for(route: str):
    matches = [key for key in REAL_IDS if route.endswith("<slug:slug>/" + key)]
    matches += [key for key in REAL_IDS if route.endswith("<slug:slug>/zajecia/" + key)]
    matches += [key for key in REAL_IDS if route.endswith("<slug:slug>/certyfikaty/" + key)]
    return REAL_IDS[matches[0]] if matches else None


def fill(route: str, slug: str, ids: dict) -> str:
    values = {"slug": slug, **{name: str(value) for name, value in ids.items()}}
    return "/" + PARAMETER.sub(lambda m: values[m.group(1)], route)


def test_every_route_with_ids_is_probed_with_real_objects():
    """A new view taking ids must say which real object fills them (or why none can)."""
    assert len(ID_VIEWS) > 40
    missing = [
        route
        for route, _view in ID_VIEWS
        if real_ids_for(route) is None and not any(route.endswith(k) for k in NO_OBJECT)
    ]
    assert missing == []


def test_a_route_without_real_ids_is_caught():
    assert real_ids_for("biuro/projekty/<slug:slug>/nowe/<int:pk>/") is None
    assert real_ids_for("biuro/projekty/<slug:slug>/osoby/<int:pk>/") is not None


def _log_in(client, user, role):
    if role == Role.ADMINISTRATOR:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    else:
        client.force_login(user)


def _status(client, method, url) -> int:
    """The answer to one request, whose writes are then undone (the next probe finds the
    same objects)."""
    from django.db import transaction

    with transaction.atomic():
        status = getattr(client, method)(url).status_code
        transaction.set_rollback(True)
    return status


# Parameters that name no object (a value from a fixed list): probing them under another
# project only shows that project's own data.
NOT_OBJECTS = {"profile", "fmt", "model", "field"}


@pytest.mark.django_db
def test_matrix_with_real_objects_of_the_project(client, demo_project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lider.core.access import is_installation_administrator
    from lider.delivery.models import Session
    from lider.delivery.services import upload_signed_list
    from lider.projects.models import Project
    from tests.delivery import scan_files

    settings.MEDIA_ROOT = tmp_path
    objects = demo_objects(demo_project)
    objects["invitation"] = type("Id", (), {"pk": _invitation(demo_project)})
    other = ProjectFactory()
    users = {role: (member(demo_project, role), member(other, role)) for role in Role}
    # The session probed has a signed scan, and the trainer probed leads it and teaches the
    # task whose test results are probed (a trainer reaches only those: object-level checks).
    session = objects["session"]
    coordinator = demo_project.memberships.filter(role=Role.COORDINATOR).first().user
    upload_signed_list(
        session, upload=SimpleUploadedFile("skan.png", scan_files.png()), actor=coordinator
    )
    trainer = users[Role.TRAINER][0]
    session.trainers.add(trainer)
    certificate_task = objects["certificate"].task
    Session.objects.filter(task=certificate_task).first().trainers.add(trainer)
    wrong = []
    for role, (user, outsider) in users.items():
        for route, view in ID_VIEWS:
            make = real_ids_for(route)
            if make is None:
                continue
            ids = make(objects)
            _log_in(client, user, role)
            url = fill(route, demo_project.slug, ids)
            for method in ("get", "post"):
                # A read-only role (the funder) is refused every POST, whatever the view.
                allowed = allows_request({role}, view.lider_permission, method)
                status = _status(client, method, url)
                if (allowed and status in {403, 404}) or (not allowed and status != 403):
                    wrong.append((role.value, method, url, status, "allowed" if allowed else "-"))
            # The same objects under another project where the user holds the same role:
            # never reached (404 for a role the view is for, 403 otherwise; a GET to a view
            # that takes only POST is refused with 405 before any object is looked up).
            if set(ids) <= NOT_OBJECTS:
                continue
            _log_in(client, outsider, role)
            url = fill(route, other.slug, ids)
            for method in ("get", "post"):
                status = _status(client, method, url)
                if status not in {403, 404} and (method, status) != ("get", 405):
                    wrong.append((role.value, method, url, status, "other project"))
    # The roll-up (outside any project): each role sees the demo project in it exactly when
    # its permission says so, and nobody writes through it.
    for role, (user, _outsider) in users.items():
        _log_in(client, user, role)
        for url in ("/biuro/zestawienie/", "/biuro/zestawienie/zestawienie.xlsx"):
            response = client.get(url)
            if response.status_code != 200:
                wrong.append((role.value, "get", url, response.status_code, "roll-up"))
            if client.post(url).status_code != 405:
                wrong.append((role.value, "post", url, "not 405", "roll-up"))
        shown = [row.project for row in client.get("/biuro/zestawienie/").context["rollup"].rows]
        expected = [demo_project] if allows({role}, "rollup.view") else []
        if is_installation_administrator(user):  # every project of the installation
            expected = list(Project.objects.order_by("-start_date", "title"))
        if shown != expected:
            wrong.append((role.value, "get", "/biuro/zestawienie/", shown, "roll-up rows"))
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.django_db
def test_naming_participants_behind_a_figure_is_a_permission_of_its_own(client):
    """The funder reads the indicators (reporting.view) but not the records behind them, which
    name participants (reporting.records): refused the drill-down, shown figures without links."""
    from django.urls import reverse

    from lider.reporting.services import freeze_snapshot
    from tests.reporting.builders import build, indicator

    world = build(women=2, men=1)
    shown = indicator(world, "participants_started", target_total=3)
    coordinator = member(world.project, Role.COORDINATOR)
    snapshot = freeze_snapshot(
        world.project, actor=coordinator, reporting_date=world.project.end_date
    )
    value = snapshot.values.get()
    slug = world.project.slug
    records = reverse("reporting:records", kwargs={"slug": slug, "pk": shown.pk})
    frozen = reverse(
        "reporting:snapshot_records", kwargs={"slug": slug, "pk": snapshot.pk, "value_pk": value.pk}
    )
    dashboard = reverse("reporting:dashboard", kwargs={"slug": slug})
    snapshot_page = reverse("reporting:snapshot", kwargs={"slug": slug, "pk": snapshot.pk})
    assert Role.FUNDER not in PERMISSIONS["reporting.records"]
    assert Role.FUNDER in PERMISSIONS["reporting.view"]

    client.force_login(member(world.project, Role.FUNDER))
    assert client.get(records).status_code == 403
    assert client.get(frozen).status_code == 403
    page = client.get(dashboard).content.decode()
    assert '<span data-figure="total">3</span>' in page
    assert records not in page
    assert frozen not in client.get(snapshot_page).content.decode()

    client.force_login(coordinator)
    response = client.get(records)
    assert response.status_code == 200
    assert str(world.participants[0]) in response.content.decode()
    assert client.get(frozen).status_code == 200
    assert f'href="{records}" data-figure="total">3<' in client.get(dashboard).content.decode()
    assert frozen in client.get(snapshot_page).content.decode()
