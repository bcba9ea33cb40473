import re

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core.kept_pages import kept_page
from lider.core.permissions import allows
from lider.core.replica import reading_replica
from lider.jobs.models import Job
from lider.jobs.services import download, kept_hours, start_job
from lider.projects.access import project_view
from lider.reporting import charts, drilldown, jobs, kept, measures, services
from lider.reporting.exports import breakdown, monitoring, progress
from lider.reporting.exports.profiles import PROFILES
from lider.reporting.forms import IndicatorForm, PeriodForm, SnapshotForm, default_period
from lider.reporting.models import Indicator, Snapshot
from lider.reporting.queries import (
    attendance_by_month,
    certificate_counts,
    county_names,
    indicator_values,
    recruitment_funnel,
)


def dashboard_charts(project, values) -> dict[str, dict[str, str]]:
    """The dashboard's charts: {name: {"title": …, "svg": …}} (also used by reports)."""
    found = {}

    def add(name, title, draw, *args, **kwargs):
        found[name] = {"title": title, "svg": draw(f"chart-{name}", title, *args, **kwargs)}

    if values:
        add(
            "indicators",
            _("Indicators: value against target"),
            charts.progress_chart,
            [(v.indicator.name, v.cumulative.total, v.indicator.target_total) for v in values],
            value_label=_("%(value)s of %(target)s"),
        )
    funnel = recruitment_funnel(project)
    if any(n for _label, n in funnel):
        add("funnel", _("Recruitment: applications by status"), charts.bar_chart, funnel)
    months = attendance_by_month(project)
    if months:
        add(
            "attendance",
            _("Attendance: people present per month"),
            charts.column_chart,
            [(formats.date_format(month, "m.Y"), n) for month, n in months],
        )
    return found


@kept_page(kept.dashboard_tokens)
@project_view("reporting.view")
def dashboard(request, project):
    """Every indicator's value against its target; with ?start=&end= also its value in that
    period (each figure links to its records, the period's with the period's dates)."""
    form = PeriodForm(request.GET if "start" in request.GET else None)
    period = None
    if form.is_bound and form.is_valid():
        period = measures.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    values = indicator_values(project, period=period)
    names = county_names(code for v in values for code in v.cumulative.by_county)
    return render(
        request,
        "reporting/backoffice/dashboard.html",
        {
            "project": project,
            "values": values,
            "counties": names,
            "form": form,
            "period": period,
            "charts": dashboard_charts(project, values),
            "certificates": certificate_counts(project),
            "entities": project.founded_entities.count(),
            "can_snapshot": allows(request.project_roles, "reporting.snapshot"),
            "can_manage": allows(request.project_roles, "reporting.manage"),
            "can_open_records": allows(request.project_roles, "reporting.records"),
        },
    )


# Defining indicators


def _indicator_form_page(request, project, form, *, title, indicator=None):
    return render(
        request,
        "reporting/backoffice/indicator_form.html",
        {
            "project": project,
            "form": form,
            "title": title,
            "indicator": indicator,
            "measures": measures.available(),
        },
    )


@project_view("reporting.manage")
def indicator_create(request, project):
    form = IndicatorForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_indicator(project, actor=request.user, **form.indicator_fields())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The indicator has been saved."))
            return redirect("reporting:dashboard", slug=project.slug)
    return _indicator_form_page(request, project, form, title=_("New indicator"))


@project_view("reporting.manage")
def indicator_edit(request, project, pk):
    indicator = get_object_or_404(Indicator, pk=pk, goal__project=project)
    form = IndicatorForm(request.POST or None, instance=indicator, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(indicator, actor=request.user, **form.indicator_fields())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The indicator has been saved."))
            return redirect("reporting:dashboard", slug=project.slug)
    return _indicator_form_page(
        request, project, form, title=_("Edit the indicator"), indicator=indicator
    )


@project_view("reporting.manage")
def indicator_delete(request, project, pk):
    """A confirmation page; the POST deletes."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal"), pk=pk, goal__project=project
    )
    if request.method == "POST":
        try:
            services.delete_indicator(indicator, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The indicator has been deleted."))
        return redirect("reporting:dashboard", slug=project.slug)
    return render(
        request,
        "reporting/backoffice/indicator_delete.html",
        {"project": project, "indicator": indicator},
    )


COUNTY_CODE = re.compile(r"[0-9]{4}")


@project_view("reporting.records")
def indicator_records(request, project, pk):
    """The exact records behind an indicator's figure, optionally of one sex, county, period."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal"), pk=pk, goal__project=project
    )
    measure = indicator.get_measure()
    if measure not in measures.available():
        raise Http404
    period = measures.Period(
        start=drilldown.parse_date(request.GET.get("start")),
        end=drilldown.parse_date(request.GET.get("end")),
    )
    sex = request.GET.get("sex") if request.GET.get("sex") in {"K", "M"} else None
    county = request.GET.get("county") or None
    if county is not None and not COUNTY_CODE.fullmatch(county):
        # A county is its four-digit TERYT code; anything else (a NUL byte is an error on
        # PostgreSQL) is a bad request, never a query.
        raise BadRequest("county")
    rows = measure.filter_records(
        measure.records(project, indicator.params, period), sex=sex, county=county
    )
    page = Paginator(drilldown.prepare(measure, rows), 200).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/backoffice/records.html",
        {
            "project": project,
            "indicator": indicator,
            "measure": measure,
            "figure": measures.compute(measure, project, indicator.params, period),
            "columns": drilldown.columns(measure),
            "rows": [drilldown.cells(measure, row) for row in page],
            "page": page,
            "count": page.paginator.count,
            "sex": sex,
            "county": county,
            "county_name": county_names([county]).get(county, county) if county else "",
            "period": period,
            "query": request.GET.copy(),
        },
    )


@project_view("reporting.view")
def snapshot_list(request, project):
    return render(
        request,
        "reporting/backoffice/snapshots.html",
        {
            "project": project,
            "snapshots": Snapshot.objects.filter(project=project).select_related("created_by"),
            "form": SnapshotForm(),
            "can_snapshot": allows(request.project_roles, "reporting.snapshot"),
        },
    )


@project_view("reporting.snapshot")
@require_POST
def snapshot_create(request, project):
    form = SnapshotForm(request.POST)
    if form.is_valid():
        try:
            snapshot = services.freeze_snapshot(
                project,
                actor=request.user,
                reporting_date=form.cleaned_data["reporting_date"],
                period_start=form.cleaned_data["period_start"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The indicator values have been frozen."))
            return redirect("reporting:snapshot", slug=project.slug, pk=snapshot.pk)
    else:
        messages.error(request, _("Please correct the reporting date."))
    return redirect("reporting:snapshots", slug=project.slug)


@project_view("reporting.view")
def snapshot_detail(request, project, pk):
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("created_by"), pk=pk, project=project
    )
    values = snapshot.values.select_related("indicator__goal").order_by(
        "indicator__goal__order", "indicator__order", "indicator_id"
    )
    return render(
        request,
        "reporting/backoffice/snapshot.html",
        {
            "project": project,
            "snapshot": snapshot,
            "values": values,
            "can_open_records": allows(request.project_roles, "reporting.records"),
        },
    )


@project_view("reporting.records")
def snapshot_records(request, project, pk, value_pk):
    """The records a frozen value was computed from, by the ids stored with it."""
    snapshot = get_object_or_404(Snapshot, pk=pk, project=project)
    value = get_object_or_404(snapshot.values.select_related("indicator"), pk=value_pk)
    measure = value.indicator.get_measure()
    rows = measure.model_class().objects.filter(pk__in=value.record_ids)
    page = Paginator(drilldown.prepare(measure, rows), 200).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/backoffice/snapshot_records.html",
        {
            "project": project,
            "snapshot": snapshot,
            "value": value,
            "columns": drilldown.columns(measure),
            "rows": [drilldown.cells(measure, row) for row in page],
            "page": page,
            "count": page.paginator.count,
        },
    )


# Monitoring exports


@project_view("reporting.export")
def export_list(request, project):
    return render(
        request,
        "reporting/backoffice/exports.html",
        {
            "project": project,
            # Before download: how many participants each file would leave out, and why
            # (the check report).
            "profiles": [
                (profile, len(monitoring.incomplete_participants(project, profile.key)))
                for profile in PROFILES.values()
            ],
            "full_sensitive": allows(request.project_roles, "personal.export"),
            "jobs": Job.objects.filter(project=project, kind=jobs.KIND, owner=request.user)[:10],
        },
    )


@project_view("reporting.export")
@require_POST
def export_start(request, project, profile):
    """Ask the worker for the file; the job's page shows its progress and the download."""
    if profile not in PROFILES:
        raise Http404
    job = start_job(
        project,
        kind=jobs.KIND,
        title=PROFILES[profile].name,
        params={
            "profile": profile,
            "full_sensitive": allows(request.project_roles, "personal.export"),
        },
        actor=request.user,
    )
    return redirect("reporting:export_job", slug=project.slug, pk=job.pk)


def _export_job(project, pk) -> Job:
    return get_object_or_404(
        Job.objects.select_related("owner"), pk=pk, project=project, kind=jobs.KIND
    )


@project_view("reporting.export")
def export_job(request, project, pk):
    job = _export_job(project, pk)
    summary = []
    if job.status == Job.Status.DONE and "rows" in job.result:
        summary.append(
            _("Rows: %(rows)s; left out for incomplete data: %(incomplete)s (see the check report)")
            % job.result
        )
    template = "jobs/job.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(
        request,
        template,
        {
            "project": project,
            "job": job,
            "summary": summary,
            "kept_hours": kept_hours(),
            "back_url": reverse("reporting:exports", kwargs={"slug": project.slug}),
            "back_label": _("Monitoring exports"),
            "download_url": reverse(
                "reporting:export_file", kwargs={"slug": project.slug, "pk": job.pk}
            ),
        },
    )


@project_view("reporting.export")
def export_file(request, project, pk):
    """The finished file; whole PESEL numbers only for a role that may still export them."""
    job = _export_job(project, pk)
    if not job.ready:
        raise Http404
    if job.params.get("full_sensitive") and not allows(request.project_roles, "personal.export"):
        raise PermissionDenied(
            _(
                "This file has whole PESEL numbers and special-category data, which your role "
                "may not export."
            )
        )
    return download(job, actor=request.user)


@project_view("reporting.export")
def export_check(request, project, profile):
    if profile not in PROFILES:
        raise Http404
    return render(
        request,
        "reporting/backoffice/export_check.html",
        {
            "project": project,
            "profile": PROFILES[profile],
            "incomplete": monitoring.incomplete_participants(project, profile),
        },
    )


# Progress report for a payment-claim period


@project_view("reporting.view")
def progress_report(request, project):
    if "start" in request.GET:
        form = PeriodForm(request.GET)
    else:
        start, end = default_period(project, timezone.localdate())
        form = PeriodForm(initial={"start": start, "end": end})
    data = None
    if form.is_bound and form.is_valid():
        with reading_replica():
            data = progress.progress_data(
                project,
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                # Disadvantaged groups are special-category data: counted only for those roles.
                sensitive=allows(request.project_roles, "personal.view_sensitive"),
            )
        name = f"sprawozdanie_{project.slug}_{data.start:%Y-%m-%d}_{data.end:%Y-%m-%d}"
        lang = get_language() or "pl"
        if request.GET.get("format") == "pdf":
            return HttpResponse(
                progress.render_pdf(data, lang=lang),
                content_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
            )
        if request.GET.get("format") == "xlsx":
            return HttpResponse(
                progress.render_xlsx(data, lang=lang),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
            )
    return render(
        request,
        "reporting/backoffice/progress.html",
        {
            "project": project,
            "form": form,
            "data": data,
            "breakdown": breakdown.tables(data.breakdown) if data else {},
            "query": request.GET.urlencode(),
        },
    )
