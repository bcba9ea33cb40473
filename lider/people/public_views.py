"""What anonymous visitors see of people: the participant's answer to the four-weeks-after
question through the signed link e-mailed to them (lider.people.situations)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from lider.core.permissions import PUBLIC
from lider.people import situations
from lider.people.forms import LaterSituationForm


def later_situation(request, token):
    """One question for one participant: the link names them, nothing typed can name another.
    An expired or altered link gets a page saying so; an answered one, a thank-you."""
    try:
        participant = situations.participant_from_token(token)
    except ValidationError as error:
        return render(
            request, "people/public/later_closed.html", {"reason": error.messages[0]}, status=410
        )
    context = {"project": participant.project, "participant": participant}
    if participant.later_situation:
        return render(request, "people/public/later_done.html", context)
    form = LaterSituationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            situations.answer_by_link(participant, situation=form.cleaned_data["situation"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "people/public/later_done.html", context)
    return render(
        request,
        "people/public/later.html",
        {**context, "form": form},
        status=400 if form.is_bound else 200,
    )


later_situation.lider_permission = PUBLIC
