"""Importing people from a spreadsheet: upload, preview with every error, import all or none."""

from django.http import Http404
from django.shortcuts import render

from lider.projects.access import project_view


@project_view("people.import")
def upload(request, project):
    return render(request, "recruitment/backoffice/import.html", {"project": project})


@project_view("people.import")
def preview(request, project, token):
    raise Http404
