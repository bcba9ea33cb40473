"""The register of issued certificates as XLSX (row by row in constant memory, every text as
text: see :mod:`lider.core.spreadsheets`)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from lider.core.spreadsheets import Workbook


def register_xlsx(certificates) -> tuple[bytes, int]:
    """(file content, number of rows) for the certificates given, in their order."""
    buffer = io.BytesIO()
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
    count = 0
    with Workbook(buffer) as workbook:
        sheet = workbook.add_sheet(_("Register"))
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.write_header(0, headers)
        for count, certificate in enumerate(certificates.iterator(chunk_size=500), start=1):
            revoked = certificate.revoked_at
            sheet.write_row(
                count,
                [
                    count,
                    certificate.number,
                    certificate.full_name,
                    certificate.task.title,
                    certificate.issued_on,
                    certificate.get_status_display(),
                    timezone.localtime(revoked).date() if revoked else None,
                    certificate.revoke_reason if revoked else None,
                ],
            )
    return buffer.getvalue(), count
