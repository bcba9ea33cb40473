"""The register of issued certificates as XLSX (row by row in constant memory, every text as
text: see :mod:`lider.core.spreadsheets`).

A certificate of a person whose processing is restricted (art. 18) keeps its row, since the
register is the evidence of the numbers issued, but not the holder's name: the export leaves
the person out (the `restricted` annotation, see `lider.people.restrictions.restricted_flag`).
"""

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
    withheld = _("withheld: processing restricted (art. 18 GDPR)")
    count = 0
    with Workbook(buffer) as workbook:
        sheet = workbook.add_sheet(_("Register"))
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.write_header(0, headers)
        for count, certificate in enumerate(certificates.iterator(chunk_size=500), start=1):
            revoked = certificate.revoked_at
            restricted = getattr(certificate, "restricted", False)
            holder = withheld if restricted else certificate.full_name
            sheet.write_row(
                count,
                [
                    count,
                    certificate.number,
                    holder,
                    certificate.task.title,
                    certificate.issued_on,
                    certificate.get_status_display(),
                    timezone.localtime(revoked).date() if revoked else None,
                    certificate.revoke_reason if revoked else None,
                ],
            )
    return buffer.getvalue(), count
