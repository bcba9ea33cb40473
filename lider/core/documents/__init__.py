"""PDF documents (attendance lists, certificates, reports), rendered with typst.

Every renderer takes plain data (the dataclasses of ``documents.data``: strings, numbers and
dates, never model instances) and the recipient's language. Labels are translated here, under
``translation.override(lang)``, and dates and numbers are formatted for that language; the whole
document then goes to a template in ``lider/core/typst/`` as one JSON string,
``sys.inputs.data``. Templates show data strings as text and never evaluate them.

Fonts are the ones embedded in the typst wheel (Libertinus Serif, DejaVu Sans Mono), so the
output is the same on every machine and Polish letters always render. typst runs in worker
processes (``lider.core.render_pool``), each keeping one ``typst.Compiler`` per template:
recompiling it with new inputs is what makes a document cost milliseconds, and a panic or a
crash of the renderer becomes a ``DocumentError`` instead of a dead server. Every text is
checked against ``MAX_TEXT_LENGTH`` before it is sent.
"""

import datetime
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import segno
from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from lider.core import render_pool
from lider.core.documents.data import (
    LOGO_CAPTION_MAX_LENGTH,
    AttendanceListData,
    CertificateData,
    Logo,
    Number,
    ProgrammeItem,
    ReportChart,
    ReportData,
    ReportSection,
    ReportTable,
    raster_svg,
)
from lider.core.render_pool import DocumentError

__all__ = [
    "LOGO_CAPTION_MAX_LENGTH",
    "AttendanceListData",
    "CertificateData",
    "DocumentError",
    "Logo",
    "Number",
    "ProgrammeItem",
    "ReportChart",
    "ReportData",
    "ReportSection",
    "ReportTable",
    "qr_svg",
    "raster_svg",
    "render_attendance_list",
    "render_certificate",
    "render_certificates",
    "render_report",
]

TEMPLATES = Path(__file__).resolve().parent.parent / "typst"


def qr_svg(url: str) -> str:
    """A QR code for ``url`` as a standalone SVG string (error level M, fixed mask: fast)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", mask=0).save(buffer, kind="svg", xmldecl=False)
    return buffer.getvalue().decode()


def render_attendance_list(data: AttendanceListData, *, lang: str = "pl") -> bytes:
    return _compile("attendance_list", _attendance_list_inputs(data, lang))


def render_certificate(data: CertificateData, *, lang: str = "pl") -> bytes:
    """A two-page certificate: the certificate itself, then the training programme."""
    return render_certificates([data], lang=lang)


def render_certificates(certificates: Sequence[CertificateData], *, lang: str = "pl") -> bytes:
    """Many certificates in one PDF, made in one compile (two pages each)."""
    return _compile("certificate", _certificates_inputs(certificates, lang))


def render_report(data: ReportData, *, lang: str = "pl") -> bytes:
    return _compile("report", _report_inputs(data, lang))


# Building the inputs: everything language-dependent happens here, under the document's language.


def _attendance_list_inputs(data: AttendanceListData, lang: str) -> dict[str, str]:
    with _language(lang):
        payload = {
            "lang": lang,
            "document_title": f"{_('Attendance list')}: {data.session_title}",
            "labels": {
                "title": _("Attendance list"),
                "project": _("Project"),
                "project_number": _("Project number"),
                "session": pgettext("attendance list", "Session"),
                "date": _("Date"),
                "time": pgettext("hours of a session", "Time"),
                "place": _("Place"),
                "trainer": _("Trainer"),
                "support": _("Form of support"),
                "group": _("Group"),
                "number": pgettext("ordinal number column", "No."),
                "full_name": _("Full name"),
                "signature": _("Signature"),
                "trainer_signature": _("Trainer's signature"),
                "page_of": _("Page %(page)s of %(pages)s"),
            },
            "cofinancing": data.cofinancing,
            "logos": _logos(data.logos),
            "project_title": data.project_title,
            "project_number": data.project_number,
            "session_title": data.session_title,
            "date": _date(data.date),
            "time": f"{_time(data.start)}–{_time(data.end)}",
            "place": ", ".join(part for part in (data.venue, data.address) if part),
            "trainer": data.trainer,
            "support": data.support,
            "group": data.group,
            "qr": qr_svg(data.session_url),
            "rows": [
                f"{name} *" if i in data.restricted else name
                for i, name in enumerate(data.participants)
            ]
            + [""] * data.blank_rows,
            "restricted_note": _(
                "* Processing of this person's data is restricted (art. 18 GDPR): the entry "
                "serves only as evidence of the support given."
            )
            if data.restricted
            else "",
        }
    return {"data": _json(payload)}


def _certificates_inputs(certificates: Sequence[CertificateData], lang: str) -> dict[str, str]:
    if not certificates:
        raise ValueError("render_certificates needs at least one certificate.")
    with _language(lang):
        first = certificates[0]
        payload = {
            "lang": lang,
            "document_title": first.title if len(certificates) == 1 else first.training_title,
            "labels": {
                "certify": _("This is to certify that"),
                "project": _("as part of the project"),
                "project_number": _("Project number"),
                "dates": _("Dates"),
                "place": _("Place"),
                "hours": _("Number of hours"),
                "issued": _("Place and date of issue"),
                "signature": _("Signature of the authorised person"),
                "document_number": _("Document number"),
                "verification_code": _("Verification code"),
                "verify_at": _("You can check this document at"),
                "programme": _("Training programme"),
                "number": pgettext("ordinal number column", "No."),
                "topic": _("Topic"),
                "topic_hours": _("Hours"),
                "total": _("Total"),
            },
            "certificates": [_certificate(certificate) for certificate in certificates],
        }
    return {"data": _json(payload)}


def _report_inputs(data: ReportData, lang: str) -> dict[str, str]:
    with _language(lang):
        payload = {
            "lang": lang,
            "document_title": data.title,
            "labels": {
                "page_of": _("Page %(page)s of %(pages)s"),
                "table": _("Table"),
                "chart": _("Chart"),
            },
            "cofinancing": data.cofinancing,
            "logos": _logos(data.logos),
            "title": data.title,
            "subtitle": data.subtitle,
            "date": _date(data.date) if data.date else "",
            "sections": [_section(section) for section in data.sections],
        }
    return {"data": _json(payload)}


def _logos(logos: Sequence[str | Logo]) -> list[dict]:
    strip = []
    for logo in logos:
        if isinstance(logo, str):
            logo = Logo(caption="", svg=logo)
        caption = " ".join(logo.caption.split())
        if len(caption) > LOGO_CAPTION_MAX_LENGTH:  # a strip's slot holds a few lines
            caption = caption[: LOGO_CAPTION_MAX_LENGTH - 1].rstrip() + "…"
        strip.append({"caption": caption, "svg": logo.svg})
    return strip


def _language(lang: str):
    if lang not in dict(settings.LANGUAGES):
        raise ValueError(f"Unsupported document language: {lang!r}.")
    return translation.override(lang)


def _completed(gender: str) -> str:
    if gender == "female":
        return pgettext("certificate, female", "completed the training")
    if gender == "male":
        return pgettext("certificate, male", "completed the training")
    return pgettext("certificate, any gender", "completed the training")


def _certificate(data: CertificateData) -> dict:
    if data.start_date == data.end_date:
        dates = _date(data.start_date)
    else:
        dates = _("from %(start)s to %(end)s") % {
            "start": _date(data.start_date),
            "end": _date(data.end_date),
        }
    total = sum((Decimal(str(item.hours)) for item in data.programme), Decimal(0))
    return {
        "title": data.title,
        "subtitle": data.subtitle,
        "cofinancing": data.cofinancing,
        "logos": _logos(data.logos),
        "full_name": data.full_name,
        "completed": _completed(data.gender),
        "project_title": data.project_title,
        "project_number": data.project_number,
        "training_title": data.training_title,
        "hours": _number(data.hours),
        "hours_label": data.hours_label,
        "hours_unit": data.hours_unit,
        "dates": dates,
        "place": data.place,
        "number": data.number,
        "issued": ", ".join(part for part in (data.issue_place, _date(data.issue_date)) if part),
        "signatory": data.signatory,
        "qr": qr_svg(data.verification_url),
        "verification_url": data.verification_url,
        "verification_code": data.verification_code,
        "programme": [[item.topic, _number(item.hours)] for item in data.programme],
        "programme_total": _number(total),
    }


def _section(section: ReportSection) -> dict:
    return {
        "heading": section.heading,
        "paragraphs": list(section.paragraphs),
        "tables": [_table(table) for table in section.tables],
        "charts": [{"svg": chart.svg, "caption": chart.caption} for chart in section.charts],
    }


def _table(table: ReportTable) -> dict:
    width = len(table.columns)
    if any(len(row) != width for row in table.rows):
        raise ValueError(f"Every row of table {table.caption!r} needs {width} cells.")
    numeric = [
        all(_is_number(row[i]) for row in table.rows if row[i] not in (None, ""))
        and any(_is_number(row[i]) for row in table.rows)
        for i in range(width)
    ]
    return {
        "columns": list(table.columns),
        "align": ["right" if flag else "left" for flag in numeric],
        "rows": [[_cell(value) for value in row] for row in table.rows],
        "caption": table.caption,
    }


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell(value) -> str:
    if value is None:
        return ""
    if _is_number(value):
        return _number(value)
    if isinstance(value, datetime.date):
        return _date(value)
    return str(value)


def _number(value: Number) -> str:
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def _time(value: datetime.time) -> str:
    return formats.time_format(value, "TIME_FORMAT", use_l10n=True)


def _json(payload: dict) -> str:
    _check_texts(payload)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


# Compiling

# No text that reaches a document may be longer than this (forms and models bound them far
# lower; this catches what came another way). Generated SVG (QR codes, logos, charts) is exempt.
MAX_TEXT_LENGTH = 5000
GENERATED = frozenset({"qr", "svg"})
TOO_LONG = gettext_noop(
    "The text “%(start)s…” is too long for a document (%(length)d characters, at most "
    "%(max)d). Shorten it and try again."
)


def _check_texts(value, key: str = "") -> None:
    """Refuse an over-long text before it reaches typst, naming its beginning."""
    if key in GENERATED:
        return
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            params = {"start": value[:40], "length": len(value), "max": MAX_TEXT_LENGTH}
            raise DocumentError(
                # Lazy: shown in the reader's language, not the document's.
                lazy(lambda: _(TOO_LONG) % params, str)(),
                detail=f"{key}: {len(value)} characters",
            )
    elif isinstance(value, dict):
        for name, item in value.items():
            _check_texts(item, name)
    elif isinstance(value, list):
        for item in value:
            _check_texts(item, key)


def _compile(template_name: str, inputs: dict[str, str]) -> bytes:
    """Compile ``lider/core/typst/<template_name>.typ`` to PDF with ``inputs`` as sys.inputs,
    in a worker process (``lider.core.render_pool``); raises ``DocumentError``."""
    path = TEMPLATES / f"{template_name}.typ"
    if not path.is_file():
        raise ValueError(f"No document template named {template_name!r}.")
    return render_pool.compile_pdf(path, TEMPLATES, inputs)
