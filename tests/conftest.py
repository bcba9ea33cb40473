import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.s3 import s3_server, s3_storage  # noqa: F401 - fixtures: a local S3 server (moto)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached public pages and throttling counters of an
    earlier test (whose rows, and so whose ids, were rolled back) must not leak into it, nor
    the pages this process keeps in its memory (trusted for the recheck interval)."""
    from django.core.cache import cache

    from lider.core import page_store

    cache.clear()
    page_store.store.clear()
    yield


@pytest.fixture(autouse=True)
def polish_by_default():
    """Every test starts in Polish, the default language of every screen."""
    with translation.override("pl"):
        yield


@pytest.fixture
def demo_card(db):
    """The demo project's card and its demo users only: fast, for tests of the card itself."""
    from lider.website.demo.project import load_project
    from lider.website.demo.users import load_users

    project = load_project()
    load_users(project)
    return project


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows of the whole demo, loaded once per run (``tests.demo_snapshot``)."""
    from django.test import override_settings

    from tests import demo_snapshot

    with (
        django_db_blocker.unblock(),
        translation.override("pl"),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        return demo_snapshot.take(lambda: call_command("demo", stdout=io.StringIO()))


@pytest.fixture
def demo_project(db, demo_snapshot):
    """The whole demo (people, schedule, certificates, outcomes): the loader's rows copied in,
    or the loader itself where the copy cannot stand (see ``tests.demo_snapshot``)."""
    from lider.projects.models import Project
    from lider.website.demo.project import SLUG
    from tests import demo_snapshot as snapshots

    if not snapshots.restore(demo_snapshot):
        call_command("demo", stdout=io.StringIO())
    return Project.objects.get(slug=SLUG)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers take half a second a password; tests do not need that strength."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A `replica` alias mirroring the test database, as settings make it for
    DATABASE_REPLICA_URL (TEST MIRROR): no router sends anything there unless a test installs
    lider.core.replica's (tests/reporting/test_replica.py)."""
    from django.db import connections

    if "replica" not in connections.settings:
        default = connections.settings["default"]
        connections.settings["replica"] = {
            **default,
            "TEST": {**default["TEST"], "MIRROR": "default"},
        }
