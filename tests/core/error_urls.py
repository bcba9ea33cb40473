"""The site's URLs plus views that fail, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.urls import path

from lider.urls import handler400, handler403, handler404, handler500  # noqa: F401
from lider.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("boom")


def database_down(request):
    connection.cursor()  # the test makes every query fail
    raise RuntimeError("unreachable")


def refused(request):
    raise PermissionDenied("Nie prowadzisz tych zajęć.")


def suspicious(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("test/boom/", boom),
    path("test/database-down/", database_down),
    path("test/refused/", refused),
    path("test/suspicious/", suspicious),
    *site,
]
