"""Under gunicorn with Redis (two workers), a signed-in coordinator's kept dashboard follows a
change made by another process on the very next request, whichever worker answers."""

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.core.test_serve import free_port, wait_for
from tests.website.test_public_cache_served import REDIS, redis_answers

# Its server runs on a SQLite database of its own whatever the suite's database is: run once, in
# the SQLite run (as test_wheel), not again beside PostgreSQL.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite run only")

LIDER = Path(sys.executable).with_name("lider")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Kept-pages-test-2026"

SETUP = f"""
from lider.core.permissions import Role
from tests.factories import ProjectFactory, UserFactory, member
project = ProjectFactory(slug="kept-test")
user = UserFactory(username="kept-coordinator")
user.set_password("{PASSWORD}")
user.save()
member(project, Role.COORDINATOR, user=user)
"""
CHANGE = """
from lider.outcomes import services
from lider.projects.models import Project
project = Project.objects.get(slug="kept-test")
services.record_entity(project, actor=None, name="Spółdzielnia Socjalna Po Zmianie",
                       legal_form="social_cooperative")
"""


@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")
def test_a_change_in_another_process_shows_on_the_next_request(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(LIDER_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), REDIS_URL=REDIS)

    def lider(*args):
        subprocess.run([LIDER, *args], env=env, cwd=ROOT, check=True, capture_output=True)

    lider("migrate", "--no-input")
    lider("shell", "--no-imports", "-c", "from django.core.cache import cache; cache.clear()")
    lider("shell", "--no-imports", "-c", SETUP)
    base = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [LIDER, "serve", base.removeprefix("http://"), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = base + "/biuro/logowanie/"
        assert wait_for(lambda: opener.open(login, timeout=5).status == 200)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', read(opener, login))
        data = {"csrfmiddlewaretoken": token[1], "username": "kept-coordinator"}
        data["password"] = PASSWORD
        opener.open(urllib.request.Request(login, data=urllib.parse.urlencode(data).encode()))
        url = base + reverse("reporting:dashboard", kwargs={"slug": "kept-test"})
        entities = reverse("outcomes:list", kwargs={"slug": "kept-test"})
        count = re.compile(rf'<dd><a href="{entities}">(\d+)</a></dd>')
        for _n in range(6):  # both workers have kept the page
            assert count.search(read(opener, url))[1] == "0"

        lider("shell", "--no-imports", "-c", CHANGE)

        assert [count.search(read(opener, url))[1] for _n in range(6)] == ["1"] * 6
    finally:
        server.terminate()
        server.wait(timeout=30)


def read(opener, url: str) -> str:
    with opener.open(url, timeout=10) as response:
        return response.read().decode()
