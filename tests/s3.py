"""A local S3-compatible server for the tests (moto's server mode, in a subprocess).

`s3_server` starts `python -m moto.server` on a free port of 127.0.0.1 once per test run;
`s3_storage` points Django's default storage at a fresh bucket there (django-storages'
S3Storage, configured as `lider.settings` does for LIDER_S3_BUCKET), so the code under test
talks HTTP to a real server, not to a patched boto3.
"""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client(endpoint: str):
    """A boto3 client of the test server, with the fake credentials given explicitly."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
    )


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto server running for the whole test run."""
    pytest.importorskip("moto.server")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """Django's default storage in a new, empty bucket of the moto server; yields the bucket
    name (boto3 reads the fake credentials from the environment)."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"lider-test-{uuid.uuid4().hex[:12]}"
    client(s3_server).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
    yield bucket


def keys(endpoint: str, bucket: str) -> list[str]:
    """Every object key in the bucket, read straight from the server."""
    listed = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))
