"""Reports and exports read from the read replica; writes and other reads stay on default.

The replica is a second alias pointing at the test database (as settings' TEST MIRROR sets it
up when DATABASE_REPLICA_URL is given): a connection of its own, so the queries each
connection runs can be counted. The tests commit their rows (transaction=True) because a
second connection cannot see another's open transaction.
"""

import io

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.core.replica import REPLICA, reading_replica
from lider.people.models import Participant, Person
from tests.core.test_settings import run_lider
from tests.factories import member
from tests.reporting import export_jobs
from tests.reporting.builders import build
from tests.reporting.test_exports import complete

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", REPLICA]
)


@pytest.fixture
def replica(settings):
    """The replica alias (tests/conftest.py adds it, mirroring the test database) with the
    router installed, as settings do when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["lider.core.replica.ReplicaRouter"]
    return connections[REPLICA]


WRITES = ("INSERT", "UPDATE", "DELETE")


def tables(captured, verb):
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith(verb)]


def test_the_monitoring_export_reads_from_the_replica_and_audits_on_default(client, replica):
    world = build(women=2, men=1)
    complete(world)
    client.force_login(member(world.project, Role.COORDINATOR))

    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(replica) as on_replica,
    ):
        response = export_jobs.download(client, world.project.slug, "pefs2007")
        content = b"".join(response.streaming_content)

    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(rows) == 1 + 3  # header and the three participants
    replica_reads = [q["sql"] for q in on_replica.captured_queries]  # DECLARE … CURSOR on PG
    assert any('"people_participant"' in sql for sql in replica_reads)
    assert not [sql for sql in replica_reads if sql.lstrip().startswith(WRITES)]
    # Default answers the session, the user and the roles, and takes the audit entry; no
    # participant or person is read from it.
    assert not any('"people_person"' in sql for sql in tables(on_default, "SELECT"))
    assert any('"core_auditentry"' in sql for sql in tables(on_default, "INSERT"))
    # The file's making and its download.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 2


def test_the_export_check_page_and_progress_report_read_from_the_replica(client, replica):
    world = build(women=1, men=1)
    client.force_login(member(world.project, Role.COORDINATOR))
    slug = world.project.slug
    pages = [
        reverse("reporting:export_check", kwargs={"slug": slug, "profile": "sl2014"}),
        reverse("reporting:progress", kwargs={"slug": slug})
        + "?start=2009-01-01&end=2010-12-31&format=xlsx",
    ]
    for page in pages:
        with CaptureQueriesContext(replica) as on_replica:
            assert client.get(page).status_code == 200
        sql = [q["sql"] for q in on_replica.captured_queries]
        assert any('"people_participant"' in one for one in sql), page


def test_outside_reports_reads_and_all_writes_go_to_default(replica):
    world = build(women=1, men=0)
    assert router.db_for_read(Participant) == "default"
    with reading_replica():
        assert router.db_for_read(Participant) == REPLICA
        assert router.db_for_write(Person) == "default"
        person = Person.objects.get(pk=world.participants[0].person_id)
        assert person._state.db == REPLICA
        person.first_name = "Zofia"
        with CaptureQueriesContext(replica) as on_replica:
            person.save(update_fields=["first_name"])
    assert on_replica.captured_queries == []
    assert Person.objects.get(pk=person.pk).first_name == "Zofia"
    assert router.db_for_read(Participant) == "default"


def test_without_the_router_the_reports_read_from_default():
    with reading_replica():
        assert router.db_for_read(Participant) == "default"


def test_database_replica_url_adds_a_mirrored_alias_and_the_router(tmp_path):
    code = (
        "from django.conf import settings as s; d = s.DATABASES['replica'];"
        "print(d['NAME'], d['HOST'], d['TEST']['MIRROR'], d['OPTIONS'], s.DATABASE_ROUTERS)"
    )
    result = run_lider(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={
            "LIDER_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u@primary:5432/lider",
            "DATABASE_REPLICA_URL": "postgres://u@standby:5432/lider",
        },
    )
    assert result.stdout.split("\n")[0] == (
        "lider standby default {'options': '-c jit=off'} ['lider.core.replica.ReplicaRouter']"
    ), result.stderr
