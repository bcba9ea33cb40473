"""Under gunicorn with Redis, a change made by another process shows on the cached page: at
once when every request reads the tokens, within the recheck bound (1 s) by default."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_serve import free_port, wait_for

# Its server runs on a SQLite database of its own whatever the suite's database is: run once, in
# the SQLite run (as test_wheel), not again beside PostgreSQL.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite run only")

LIDER = Path(sys.executable).with_name("lider")
ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("LIDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")

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


def redis_answers() -> bool:
    host, port = REDIS.removeprefix("redis://").split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def body(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")
@pytest.mark.parametrize("recheck", ["0", "1"])
def test_a_change_in_another_process_shows_on_every_worker(tmp_path, recheck):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        LIDER_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        REDIS_URL=REDIS,
        LIDER_PUBLIC_PAGE_RECHECK=recheck,
    )

    def lider(*args):
        subprocess.run([LIDER, *args], env=env, cwd=ROOT, check=True, capture_output=True)

    lider("migrate", "--no-input")
    lider("shell", "--no-imports", "-c", "from django.core.cache import cache; cache.clear()")
    lider("shell", "--no-imports", "-c", SETUP)
    address = f"127.0.0.1:{free_port()}"
    url = f"http://{address}/projekty/cache-test/rezultaty/"
    server = subprocess.Popen(
        [LIDER, "serve", address, "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: "Rezultaty" in body(url))
        for _n in range(6):  # both workers have the page cached
            assert "Po Zmianie" not in body(url)

        lider("shell", "--no-imports", "-c", CHANGE)

        def every_worker_shows_it():
            return all("Spółdzielnia Socjalna Po Zmianie" in body(url) for _n in range(6))

        if recheck == "0":
            assert every_worker_shows_it()
        else:  # each worker's copy is trusted for a second at most, then the tokens are read
            assert wait_for(every_worker_shows_it, seconds=10)
    finally:
        server.terminate()
        server.wait(timeout=30)
