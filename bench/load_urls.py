"""Lider's URLs and one more, for `bench_load.py` only: a bare Django view returning N bytes
(`/bench-bare/?n=N`), served by the same gunicorn, through the same middleware, beside the
real pages it is compared with. Never used outside the bench."""

from django.http import HttpResponse
from django.urls import path

from lider.urls import handler400, handler403, handler404, handler500  # noqa: F401
from lider.urls import urlpatterns as lider_urlpatterns

_BODY = b"<!doctype html><title>x</title>" + b"x" * 2_000_000


def bare(request):
    """A page of the asked size, computed from nothing: the engine's own cost per request."""
    try:
        size = max(0, min(int(request.GET.get("n", "0")), len(_BODY)))
    except ValueError:
        size = 0
    return HttpResponse(_BODY[:size], content_type="text/html; charset=utf-8")


urlpatterns = [path("bench-bare/", bare), *lider_urlpatterns]
