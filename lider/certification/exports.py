"""The register of issued certificates as XLSX (xlsxwriter, row by row in constant memory)."""

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _


def register_xlsx(certificates) -> tuple[bytes, int]:
    """(file content, number of rows) for the certificates given, in their order."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet(_("Register")[:31])
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    headers = [
        _("No."),
        _("Number"),
        _("Participant"),
        _("Task"),
        _("Issue date"),
        _("Status"),
        _("Revoked on"),
        _("Reason for revoking"),
    ]
    widths = [6, 18, 30, 50, 12, 14, 12, 40]
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, header, bold)
    count = 0
    for count, certificate in enumerate(certificates.iterator(chunk_size=500), start=1):
        sheet.write_number(count, 0, count)
        sheet.write_string(count, 1, certificate.number)
        sheet.write_string(count, 2, certificate.full_name)
        sheet.write_string(count, 3, certificate.task.title)
        sheet.write_datetime(count, 4, certificate.issued_on, date)
        sheet.write_string(count, 5, str(certificate.get_status_display()))
        if certificate.revoked_at:
            revoked = timezone.localtime(certificate.revoked_at).date()
            sheet.write_datetime(count, 6, revoked, date)
            sheet.write_string(count, 7, certificate.revoke_reason)
    workbook.close()
    return buffer.getvalue(), count
