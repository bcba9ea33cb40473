"""Lider's settings with the URLs of `bench/load_urls.py` (one more view, the bare one), for
`bench_load.py` only: `DJANGO_SETTINGS_MODULE=bench.load_settings lider serve …`."""

from lider.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"

# One client address sends every request: the verification page's per-address throttle (30 a
# minute, against enumerating codes) would answer 429 to nearly all of them. The bench measures
# the page, so the limit is lifted; the throttle's cache counter still runs on each request.
CERTIFICATE_VERIFICATION_LIMIT = 10**9
