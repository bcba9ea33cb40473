import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.s3 import s3_server, s3_storage  # noqa: F401 - fixtures: a local S3 server (moto)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached public pages and throttling counters of an
    earlier test (whose rows, and so whose ids, were rolled back) must not leak into it."""
    from django.core.cache import cache

    from lider.website import public_cache

    cache.clear()
    public_cache.forget_everything_here()
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


@pytest.fixture
def demo_project(db):
    """The whole demo (people, schedule, certificates, outcomes): about ten seconds."""
    from lider.projects.models import Project
    from lider.website.demo.project import SLUG

    call_command("demo", stdout=io.StringIO())
    return Project.objects.get(slug=SLUG)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers take half a second a password; tests do not need that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
