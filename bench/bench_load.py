"""Load test: Lider's pages under `lider serve` (gunicorn) beside a bare Django view of the
same size served by the same server, at 8 → 64 concurrent connections.

Run: .venv/bin/python bench/bench_load.py [--duration 5] [--levels 8,16,32,64] [--workers N]
     .venv/bin/python bench/bench_load.py --duration 60            # the issue's full run
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_load.py
     REDIS_URL=redis://127.0.0.1:6379/0 …                          # shared cache, as deployed

Without DATABASE_URL the demo is loaded into a throw-away SQLite database; with it, `lider
demo` is run on that database (idempotent). The server is `lider serve 127.0.0.1:PORT` with the
settings of `bench/load_settings.py` (Lider's own, plus the bare view of `load_urls.py`). The
client is a bounded asyncio HTTP/1.1 client in this process (no dependency): N connections each
send one request after another for --duration seconds per page (split into --rounds interleaved
with the bare view). Pages: the public project page, its results page, certificate
verification, and — logged in as the demo coordinator — the indicators dashboard and the roll-
up. For each level and page it prints requests/s, p50 and p95 latency, errors (anything but
200, or a broken connection), the bare view's requests/s for a page of the same size, and the
ratio; targets: public pages ≥ 0.70 of the bare view, back-office pages ≥ 0.40. The client
shares the machine with the server: read ratios, not absolute figures.
"""

import argparse
import asyncio
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIDER = Path(sys.executable).with_name("lider")
SLUG = "lider-na-rynku-ekonomii-spolecznej"
LOGIN = ("koordynator", "Demo-koordynator-2009")
PUBLIC, BACKOFFICE = 0.70, 0.40

FACTS = """
import json
from lider.certification.models import Certificate
c = Certificate.objects.filter(status="issued").order_by("pk").first()
print(json.dumps({"code": c.code}))
"""


def environment() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if "DATABASE_URL" not in env:
        env["LIDER_DATA_DIR"] = tempfile.mkdtemp(prefix="lider-load-")
    return env


def lider(env, *args) -> str:
    result = subprocess.run([str(LIDER), *args], env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"lider {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port: int, workers: int | None) -> subprocess.Popen:
    args = [str(LIDER), "serve", f"127.0.0.1:{port}"]
    if workers:
        args += ["--workers", str(workers)]
    log = open(Path(tempfile.gettempdir()) / f"lider-load-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/zdrowie/", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"lider serve stopped; see {log.name}") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"lider serve did not answer; see {log.name}")


def log_in(base: str) -> str:
    """A real login through the form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/biuro/logowanie/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": LOGIN[0], "password": LOGIN[1]}
    ).encode()
    opener.open(urllib.request.Request(base + "/biuro/logowanie/", data=data))
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not log in as the demo coordinator")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def fetch(port: int, path: str, cookie: str) -> tuple[int, int]:
    """One GET on a new connection (gunicorn's sync workers close it after each answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Language: pl\r\n"
        f"{'Cookie: ' + cookie + chr(13) + chr(10) if cookie else ''}Connection: close\r\n\r\n"
    )
    writer.write(request.encode())
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head[9:12] or 0), len(body)


async def load(port: int, path: str, cookie: str, connections: int, seconds: float) -> dict:
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors = 0
    start = loop.time()
    deadline = start + seconds

    async def client():
        nonlocal errors
        while loop.time() < deadline:
            began = time.perf_counter()
            try:
                status, _size = await fetch(port, path, cookie)
            except (OSError, ValueError, asyncio.IncompleteReadError):
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1

    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = loop.time() - start
    return {"ok": len(latencies), "errors": errors, "seconds": elapsed, "latencies": latencies}


def merged(runs: list[dict]) -> dict:
    latencies = sorted(x for run in runs for x in run["latencies"])
    ok, seconds = sum(run["ok"] for run in runs), sum(run["seconds"] for run in runs)

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "rps": ok / seconds if seconds else 0.0,
        "p50": quantile(0.50) if latencies else float("nan"),
        "p95": quantile(0.95) if latencies else float("nan"),
        "errors": sum(run["errors"] for run in runs),
    }


def pages(code: str) -> list[tuple[str, str, bool, float]]:
    """(name, path, logged in, target ratio)."""
    return [
        ("public project page", f"/projekty/{SLUG}/", False, PUBLIC),
        ("results page", f"/projekty/{SLUG}/rezultaty/", False, PUBLIC),
        ("verification", f"/weryfikacja/{code}/", False, PUBLIC),
        ("dashboard", f"/biuro/projekty/{SLUG}/wskazniki/", True, BACKOFFICE),
        ("roll-up", "/biuro/zestawienie/", True, BACKOFFICE),
    ]


async def measure(port, cookie, code, levels, duration: float, rounds: int, only=None):
    probes = [probe for probe in pages(code) if not only or probe[0] in only]
    sizes = {}
    for name, path, logged_in, _target in probes:
        status, size = await fetch(port, path, cookie if logged_in else "")
        if status != 200:
            raise SystemExit(f"{name} ({path}) answered {status}")
        sizes[name] = size
        await load(port, path, cookie if logged_in else "", 4, 1.0)  # warm every worker
    print(
        f"{'conns':>5}  {'page':<20} {'bytes':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'err':>5} {'bare r/s':>9} {'ratio':>6} {'target':>6}"
    )
    results = []
    for connections in levels:
        for name, path, logged_in, target in probes:
            ours, bare = [], []
            bare_path = f"/bench-bare/?n={sizes[name]}"
            for _round in range(rounds):
                slice_, who = duration / rounds, cookie if logged_in else ""
                ours.append(await load(port, path, who, connections, slice_))
                bare.append(await load(port, bare_path, "", connections, slice_))
            a, b = merged(ours), merged(bare)
            ratio = a["rps"] / b["rps"] if b["rps"] else 0.0
            results.append(
                {
                    "connections": connections,
                    "page": name,
                    "ratio": ratio,
                    "target": target,
                    **a,
                    "bare_rps": b["rps"],
                }
            )
            print(
                f"{connections:>5}  {name:<20} {sizes[name]:>7} {a['rps']:>8.1f} "
                f"{a['p50']:>8.0f} {a['p95']:>8.0f} {a['errors']:>5} {b['rps']:>9.1f} "
                f"{ratio:>6.2f} {target:>6.2f}",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page and level")
    parser.add_argument("--levels", default="8,16,32,64", help="connections, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds per page")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: lider serve's)")
    parser.add_argument("--pages", help="only these pages (comma-separated names, e.g. roll-up)")
    parser.add_argument("--json", help="also write the results to this file")
    options = parser.parse_args()
    levels = [int(n) for n in options.levels.split(",")]
    only = set(options.pages.split(",")) if options.pages else None
    env = environment()
    lider(env, "migrate", "--no-input")
    lider(env, "demo")
    code = json.loads(lider(env, "shell", "-c", FACTS).strip().splitlines()[-1])["code"]
    port = free_port()
    server = start_server(env, port, options.workers)
    try:
        cookie = log_in(f"http://127.0.0.1:{port}")
        database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
        cache = "Redis" if env.get("REDIS_URL") else "per process"
        print(
            f"lider serve on 127.0.0.1:{port} ({database}, workers: "
            f"{options.workers or 'default'}, cache: {cache}), "
            f"{options.duration:g} s per page and level"
        )
        results = asyncio.run(
            measure(port, cookie, code, levels, options.duration, max(1, options.rounds), only)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\nLowest ratio per page (target):")
    for name, _path, _logged_in, target in pages(code):
        if only and name not in only:
            continue
        worst = min(r["ratio"] for r in results if r["page"] == name)
        verdict = "meets" if worst >= target else "below"
        print(f"  {name:<20} {worst:.2f} ({target:.2f}) {verdict}")
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
