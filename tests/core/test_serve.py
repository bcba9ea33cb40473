"""`lider serve` is a production server: a worker that dies is replaced and the site stays up."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Its server runs on a SQLite database of its own whatever the suite's database is: run once, in
# the SQLite run (as test_wheel), not again beside PostgreSQL.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite run only")

LIDER = Path(sys.executable).with_name("lider")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in children.read_text().split()} if children.exists() else set()


def answers(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads worker processes from /proc")
def test_a_killed_worker_is_replaced_and_the_site_keeps_answering(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["LIDER_DATA_DIR"] = str(tmp_path)
    subprocess.run([LIDER, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    url = f"http://127.0.0.1:{free_port()}/"
    server = subprocess.Popen(
        [LIDER, "serve", url.removeprefix("http://").rstrip("/"), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: answers(url) == 200 and len(workers_of(server.pid)) == 2)
        victim = sorted(workers_of(server.pid))[0]

        os.kill(victim, signal.SIGKILL)

        assert wait_for(lambda: victim not in workers_of(server.pid))
        assert wait_for(lambda: len(workers_of(server.pid)) == 2)
        assert all(answers(url) == 200 for _ in range(5))
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
