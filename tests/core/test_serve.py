"""`lider serve` is a production server: a worker that dies is replaced and the site stays up."""

import os
import signal
import urllib.request
from pathlib import Path

import pytest

from tests.served import SQLITE_RUN_ONLY, Lider, wait_for

pytestmark = SQLITE_RUN_ONLY


def workers_of(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in children.read_text().split()} if children.exists() else set()


def answers(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads worker processes from /proc")
def test_a_killed_worker_is_replaced_and_the_site_keeps_answering(tmp_path):
    with Lider(tmp_path).migrated().serving(workers=2) as (server, base):
        url = base + "/"
        assert wait_for(lambda: answers(url) == 200 and len(workers_of(server.pid)) == 2)
        victim = sorted(workers_of(server.pid))[0]

        os.kill(victim, signal.SIGKILL)

        assert wait_for(lambda: victim not in workers_of(server.pid))
        assert wait_for(lambda: len(workers_of(server.pid)) == 2)
        assert all(answers(url) == 200 for _ in range(5))
        assert server.poll() is None
