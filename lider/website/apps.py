from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "lider.website"
    label = "website"
    verbose_name = _("Public website")

    def ready(self):
        from lider.projects.menu import register

        # The back-office sections of a project, in the order a project runs.
        register(_("Recruitment"), "recruitment:list", order=10)
        register(_("People"), "people:list", order=20)
        register(_("Institutions"), "people:institutions", order=25)
        register(_("Participation rule"), "people:rule", order=26, edit=True)
        register(_("Sessions and attendance"), "delivery:calendar", order=30)
        register(_("My sessions"), "delivery:mine", order=35)
        register(_("Certificates"), "certification:overview", order=40)
        register(_("Founded entities"), "outcomes:list", order=50)
        register(_("Indicators"), "reporting:dashboard", order=60)
        register(_("Monitoring exports"), "reporting:exports", order=70)
        register(_("Progress report"), "reporting:progress", order=80)

        # Project set-up pre-fills an organisation from the KRS client of `outcomes`.
        from lider.projects.hooks import register_organisation_lookup

        register_organisation_lookup(organisation_from_krs)

        # Starting a project from a template: each app copies its own part of the structure.
        from lider.certification import structure_copy as certification_copy
        from lider.projects.hooks import register_structure_copier
        from lider.recruitment import structure_copy as recruitment_copy
        from lider.reporting import structure_copy as reporting_copy

        register_structure_copier("recruitment", recruitment_copy.copy)
        register_structure_copier("certification", certification_copy.copy)
        register_structure_copier("reporting", reporting_copy.copy)

        # A participant's accepted invitation links the new account to the applicant's record.
        from lider.projects.hooks import register_invitation_accepted
        from lider.recruitment.services import link_account

        register_invitation_accepted(link_account)

        # A project created in the back office gets its first information clause (art. 13).
        from lider.projects.hooks import register_project_created
        from lider.recruitment.clauses import ensure_clause

        register_project_created(ensure_clause)

        # Mails to a participant go in the language of their application.
        from lider.people.recipients import register_language_finder
        from lider.recruitment.queries import application_language

        register_language_finder(application_language)

        # The cached public pages are dropped by the changes that affect them.
        from lider.website import cache_signals

        cache_signals.connect()


def organisation_from_krs(number: str):
    """The KRS client's answer as project set-up needs it; a failure is a message."""
    from lider.outcomes import krs
    from lider.projects.hooks import LookupFailed, OrganisationDetails

    try:
        entity = krs.fetch_extract(number)
    except krs.KrsError as error:
        raise LookupFailed(str(error)) from error
    return OrganisationDetails(
        name=entity.name, nip=entity.nip, regon=entity.regon, krs=entity.krs, city=entity.city
    )
