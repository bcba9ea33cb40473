"""The language to write to a participant in (mails in the recipient's language).

`people` sits below `recruitment` and never imports it; recruitment registers (through
`website`'s AppConfig.ready) a finder that gives the language of the participant's application.
Otherwise the language of the invitation the person's account was made from (`projects`) is
used, else the default language (Polish).
"""

from collections.abc import Callable

from django.conf import settings

from lider.people.models import Participant
from lider.projects.models import Invitation

# (participant) -> a language code, or "" when the finder knows none; in registration order.
language_finders: list[Callable[[Participant], str]] = []


def register_language_finder(finder: Callable[[Participant], str]) -> None:
    if all(existing is not finder for existing in language_finders):
        language_finders.append(finder)


def _known(code: str | None) -> bool:
    return code in {code for code, _name in settings.LANGUAGES}


def language_for(participant: Participant) -> str:
    """The participant's language: their application's, else their account invitation's,
    else Polish."""
    for finder in language_finders:
        language = finder(participant)
        if _known(language):
            return language
    person = participant.person
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
