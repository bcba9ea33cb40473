"""The searchable picker: chosen items kept across filtering, without JavaScript, on both forms
that choose a few of hundreds (the project's counties, an entity's founders)."""

import re

import pytest
from django import forms
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.core.pickers import SearchableCheckboxes, folded
from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant
from lider.territory.models import Unit
from tests.factories import PersonFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


def counties():
    return Unit.objects.filter(level="county")


class CountiesForm(forms.Form):
    counties = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), widget=SearchableCheckboxes(limit=5)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = counties()


def boxes(html: str) -> list[tuple[str, bool]]:
    """(label, checked) of every checkbox, in order."""
    return [
        (label.strip(), checked == " checked")
        for checked, label in re.findall(
            r'<input type="checkbox" name="\w+" value="\d+" id="[\w]+"( checked)?>([^<]*)</label>',
            html,
        )
    ]


def test_folded_ignores_case_and_polish_letters():
    assert folded("Łódź") == "lodz"
    assert folded("ŚWIĘTOCHŁOWICE") == "swietochlowice"


def test_chosen_items_stay_checked_whatever_the_filter_shows():
    lodz = counties().get(name="Łódź")
    myszkowski = counties().get(name="myszkowski")
    form = CountiesForm({"counties": [lodz.pk, myszkowski.pk], "counties__q": "gliw"})
    html = str(form["counties"])
    assert boxes(html) == [
        ("Łódź (powiat grodzki)", True),
        ("powiat myszkowski (ziemski)", True),
        ("powiat gliwicki (ziemski)", False),
        ("Gliwice (powiat grodzki)", False),
    ]
    assert "pasujące do „gliw”: 2" in html


def test_a_filter_without_diacritics_finds_them_and_long_lists_are_cut_with_a_notice():
    form = CountiesForm({"counties__q": "lodz"})
    assert [label for label, _ in boxes(str(form["counties"]))] == [
        "powiat kłodzki (ziemski)",
        "powiat łódzki wschodni (ziemski)",
        "Łódź (powiat grodzki)",
    ]
    html = str(CountiesForm()["counties"])
    assert len(boxes(html)) == 5
    assert f"niepokazane: {counties().count() - 5}; wpisz fragment nazwy" in html


def test_filtering_the_card_saves_nothing_and_keeps_what_was_typed_and_chosen(client):
    from tests.core.test_audit import card_data

    project = ProjectFactory()
    client.force_login(member(project, Role.COORDINATOR))
    url = reverse("projects:edit", kwargs={"slug": project.slug})
    data = card_data(client, project)
    lublin = counties().get(name="Lublin")
    data.update(
        title="Tytuł jeszcze niezapisany",
        counties=[*data["counties"], lublin.pk],
        counties__q="mysz",
        _picker="counties",
    )
    response = client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Tytuł jeszcze niezapisany"' in html
    assert ("Lublin (powiat grodzki)", True) in boxes(html)  # chosen, though not matching
    assert ("powiat myszkowski (ziemski)", False) in boxes(html)
    # no validation while choosing
    assert "Popraw błędy" not in html and 'class="error"' not in html
    assert "jeszcze nic nie zapisano" in html
    project.refresh_from_db()
    assert project.title != "Tytuł jeszcze niezapisany"
    assert AuditEntry.objects.count() == 0

    del data["_picker"]
    assert client.post(url, data).status_code == 302
    assert lublin in project.counties.all()


def test_founders_are_chosen_by_filtering_and_kept(client):
    project = ProjectFactory()
    people = [
        Participant.objects.create(project=project, person=PersonFactory(last_name=name))
        for name in ("Łukasik", "Lis", "Sowa")
    ]
    entity = FoundedEntity.objects.create(project=project, name="Fundacja", legal_form="foundation")
    entity.founders.add(people[2])
    client.force_login(member(project, Role.OFFICE))
    url = reverse("outcomes:edit", kwargs={"slug": project.slug, "pk": entity.pk})
    data = {
        "order": 0,
        "name": "Fundacja",
        "legal_form": "foundation",
        "founders": [people[2].pk],
        "founders__q": "lukas",
        "_picker": "founders",
    }
    html = client.post(url, data).content.decode()
    assert boxes(html) == [("Anna Sowa", True), ("Anna Łukasik", False)]
    assert list(entity.founders.all()) == [people[2]]

    data.pop("_picker")
    data["founders"] = [people[2].pk, people[0].pk]
    assert client.post(url, data).status_code == 302
    assert set(entity.founders.all()) == {people[0], people[2]}
