"""Under gunicorn with Redis, a change made by another process shows on the cached page: at
once when every request reads the tokens (the default), within the recheck bound when one is set
(1 s)."""

import urllib.request

import pytest

from tests.served import NEEDS_REDIS, REDIS, SQLITE_RUN_ONLY, Lider, wait_for

pytestmark = [SQLITE_RUN_ONLY, NEEDS_REDIS]

SETUP = """
from lider.projects.models import Project
from tests.factories import ProjectFactory
project = ProjectFactory(slug="cache-test", is_public=True)
print(project.slug)
"""
CHANGE = """
from lider.outcomes import services
from lider.projects.models import Project
project = Project.objects.get(slug="cache-test")
services.record_entity(project, actor=None, name="Spółdzielnia Socjalna Po Zmianie",
                       legal_form="social_cooperative")
"""


def body(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.mark.parametrize("recheck", ["0", "1"])
def test_a_change_in_another_process_shows_on_every_worker(tmp_path, recheck):
    lider = Lider(tmp_path, REDIS_URL=REDIS, LIDER_PUBLIC_PAGE_RECHECK=recheck).migrated()
    lider.shell(SETUP)
    with lider.serving(workers=2) as (_server, base):
        url = base + "/projekty/cache-test/rezultaty/"
        assert wait_for(lambda: "Rezultaty" in body(url))
        for _n in range(6):  # both workers have the page cached
            assert "Po Zmianie" not in body(url)

        lider.shell(CHANGE)

        def every_worker_shows_it():
            return all("Spółdzielnia Socjalna Po Zmianie" in body(url) for _n in range(6))

        if recheck == "0":
            assert every_worker_shows_it()
        else:  # each worker's copy is trusted for a second at most, then the tokens are read
            assert wait_for(every_worker_shows_it, seconds=10)
