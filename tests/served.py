"""A Lider of a test's own, in other processes: the `lider` command on a SQLite database in the
test's temporary folder, and `lider serve` (gunicorn) started and stopped around the test.

Such a test runs whatever the suite's database is, so its module runs it only in the SQLite run
(``SQLITE_RUN_ONLY``), as test_wheel does: the PostgreSQL run would repeat identical work.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

LIDER = Path(sys.executable).with_name("lider")
ROOT = Path(__file__).resolve().parents[1]
REDIS = os.environ.get("LIDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")

SQLITE_RUN_ONLY = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite run only")


def redis_answers() -> bool:
    host, port = REDIS.removeprefix("redis://").split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


NEEDS_REDIS = pytest.mark.skipif(not redis_answers(), reason="needs a Redis server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds=30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


class Lider:
    """The `lider` command with the suite's environment but a database of its own."""

    def __init__(self, tmp_path, **settings):
        self.env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        self.env.update(LIDER_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **settings)

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [LIDER, *args],
            env=self.env,
            cwd=ROOT,
            check=check,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def shell(self, code: str) -> str:
        return self.run("shell", "--no-imports", "-c", code).stdout

    def migrated(self) -> "Lider":
        self.run("migrate", "--no-input")
        if "REDIS_URL" in self.env:  # the shared cache outlives earlier tests' databases
            self.shell("from django.core.cache import cache; cache.clear()")
        return self

    @contextlib.contextmanager
    def serving(self, workers: int = 2):
        """`lider serve` on a free port: (the server's process, its base URL)."""
        address = f"127.0.0.1:{free_port()}"
        server = subprocess.Popen(
            [LIDER, "serve", address, "--workers", str(workers)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield server, f"http://{address}"
        finally:
            server.terminate()
            server.wait(timeout=30)
