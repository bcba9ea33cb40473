"""Telling an applicant: the confirmation, a decision, a place offered (with its signed link)."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lider.core.links import absolute_url
from lider.people.restrictions import is_restricted
from lider.recruitment.models import Application

Status = Application.Status


def _send(application: Application, subject: str, template: str, **extra) -> None:
    """A message about an application, to the address it was submitted with, in its language."""
    if is_restricted(application.person_id):
        return  # restricted (art. 18): no e-mails
    context = {"application": application, "project": application.project, **extra}
    send_mail(
        subject % {"title": application.project.title},
        render_to_string(template, context),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )


def _for_mail(application_id: int) -> Application:
    return Application.objects.select_related("project", "person", "institution").get(
        pk=application_id
    )


def send_confirmation(application_id: int) -> None:
    """The confirmation e-mail, in the language the applicant used."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        _send(
            application,
            _("Your application to the project %(title)s"),
            "recruitment/email/confirmation.txt",
        )


def send_decision(application_id: int, decision: str, position: int | None = None) -> None:
    """Tell the applicant a decision (accepted; on the reserve list, at `position`; rejected,
    with the reason), in the language of the application."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        if decision == Status.ACCEPTED:
            subject = _("Your application to the project %(title)s has been accepted")
            template = "recruitment/email/accepted.txt"
        elif decision == Status.RESERVE:
            subject = _("Your application to the project %(title)s: the reserve list")
            template = "recruitment/email/reserve.txt"
        else:
            subject = _("Your application to the project %(title)s has not been accepted")
            template = "recruitment/email/rejected.txt"
        _send(application, subject, template, position=position)


OFFER_SALT = "lider.recruitment.offer"


def offer_token(application: Application) -> str:
    return signing.dumps(application.pk, salt=OFFER_SALT)


def application_for_token(token: str, *, max_age_days: int = 30) -> Application | None:
    try:
        pk = signing.loads(token, salt=OFFER_SALT, max_age=datetime.timedelta(days=max_age_days))
    except signing.BadSignature:
        return None
    return Application.objects.select_related("project").filter(pk=pk).first()


def send_offer(application_id: int) -> None:
    """Tell the first on the reserve list that a place is theirs if they confirm it."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        path = reverse(
            "recruitment_public:confirm",
            kwargs={"slug": application.project.slug, "token": offer_token(application)},
        )
        _send(
            application,
            _("A place for you in the project %(title)s"),
            "recruitment/email/offer.txt",
            link=absolute_url(path),
        )
