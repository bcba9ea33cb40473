"""The language to write to a participant in (mails in the recipient's language).

`people` sits below `recruitment` and never imports it; recruitment registers (through
`website`'s AppConfig.ready) a finder that gives the language of the person's application.
Otherwise the language of the invitation the person's account was made from (`projects`) is
used, else the default language (Polish). One rule, two entry points: `language_for` a
participation (the application of that participation), `language_for_person` for a message
about the person themselves, such as the outcome of a correction of their data (their latest
application, whichever project).
"""

from collections.abc import Callable

from django.conf import settings

from lider.people.models import Participant, Person
from lider.projects.models import Invitation

# (person, participant or None) -> a language code, or "" when the finder knows none; asked in
# registration order. With a participant the finder answers for that participation only.
language_finders: list[Callable[[Person | None, Participant | None], str]] = []


def register_language_finder(finder: Callable[[Person | None, Participant | None], str]) -> None:
    if all(existing is not finder for existing in language_finders):
        language_finders.append(finder)


def _known(code) -> bool:
    return isinstance(code, str) and code in {code for code, _name in settings.LANGUAGES}


def _language(person: Person | None, participant: Participant | None) -> str:
    for finder in language_finders:
        language = finder(person, participant)
        if _known(language):
            return language
    if person is not None and person.user_id:
        language = (
            Invitation.objects.filter(user_id=person.user_id, accepted_at__isnull=False)
            .order_by("-accepted_at", "-pk")
            .values_list("language", flat=True)
            .first()
        )
        if _known(language):
            return language
    return settings.LANGUAGE_CODE


def language_for(participant: Participant) -> str:
    """The participant's language: their application's, else their account invitation's,
    else Polish."""
    return _language(participant.person, participant)


def language_for_person(person: Person) -> str:
    """The person's language: their latest application's, else their account invitation's,
    else Polish."""
    return _language(person, None)
