"""Under gunicorn with Redis (two workers), a signed-in coordinator's kept dashboard follows a
change made by another process on the very next request, whichever worker answers."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

from django.urls import reverse

from tests.served import NEEDS_REDIS, REDIS, SQLITE_RUN_ONLY, Lider, wait_for

pytestmark = [SQLITE_RUN_ONLY, NEEDS_REDIS]

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


def test_a_change_in_another_process_shows_on_the_next_request(tmp_path):
    lider = Lider(tmp_path, REDIS_URL=REDIS).migrated()
    lider.shell(SETUP)
    with lider.serving(workers=2) as (_server, base):
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

        lider.shell(CHANGE)

        assert [count.search(read(opener, url))[1] for _n in range(6)] == ["1"] * 6


def read(opener, url: str) -> str:
    with opener.open(url, timeout=10) as response:
        return response.read().decode()
