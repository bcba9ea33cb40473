"""From a certificate row to the plain data ``lider.core.documents`` renders."""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lider.core.documents import CertificateData, ProgrammeItem, render_certificates
from lider.core.links import absolute_url
from lider.projects import hours
from lider.projects.logos import document_logos


def verification_url(code: str) -> str:
    """The public address of a certificate, in the default language (printed in the QR)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certification_public:verify", kwargs={"code": code})
    return absolute_url(path)


def certificate_data(certificate, *, lang: str = "pl") -> CertificateData:
    with translation.override(lang):
        title = _("CERTIFICATE OF TRAINING COMPLETION")
        # Certificates issued before the unit was recorded print as they were issued.
        unit = certificate.hours_unit
        hours_label = hours.count_label(unit) if unit else ""
        hours_unit = hours.label(unit) if unit else ""
    return CertificateData(
        cofinancing=certificate.cofinancing,
        title=title,
        full_name=certificate.full_name,
        project_title=certificate.project_title,
        project_number=certificate.project_number,
        training_title=certificate.training_title,
        hours=Decimal(certificate.hours),
        start_date=certificate.start_date,
        end_date=certificate.end_date,
        place=certificate.place,
        number=certificate.number,
        issue_date=certificate.issued_on,
        issue_place=certificate.issue_place,
        verification_url=certificate.verification_url,
        verification_code=certificate.grouped_code,
        programme=[ProgrammeItem(topic, Decimal(hours)) for topic, hours in certificate.programme],
        gender=certificate.gender,
        logos=document_logos(certificate.logos),
        hours_label=hours_label,
        hours_unit=hours_unit,
    )


def render(certificates, *, lang: str = "pl") -> bytes:
    """One PDF with every certificate given (two pages each)."""
    return render_certificates([certificate_data(c, lang=lang) for c in certificates], lang=lang)


def checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
