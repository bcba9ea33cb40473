"""A searchable list of checkboxes for choosing a few of hundreds (powiats, people).

Works without JavaScript: the field shows the chosen items (checked) and the items matching a
filter text (unchecked, at most ``SearchableCheckboxes.limit``); a "Filter" button submits the
whole form with ``_picker=<field name>``, and the view renders the form again instead of saving
it (:func:`filtering`, :func:`without_errors`), so what was typed and chosen is kept. With
JavaScript (``lider.js``) the list is filtered as one types: the same request is sent in the
background and only the list is replaced.

    form = ProjectCardForm(request.POST or None, instance=project)
    if pickers.filtering(request):
        pickers.without_errors(form)
    elif request.method == "POST" and form.is_valid():
        ...save...
"""

import unicodedata

from django import forms
from django.forms.utils import ErrorDict

FILTER = "_picker"
QUERY_SUFFIX = "__q"
QUERY_LENGTH = 100


def folded(text: str) -> str:
    """Lower case without diacritics ("Łódź" → "lodz"), for matching what one types."""
    text = str(text).casefold().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def filtering(request) -> bool:
    """Whether the request asks to filter a picker rather than to save the form."""
    return request.method == "POST" and FILTER in request.POST


def without_errors(form):
    """The bound form shown again while choosing: what was typed, without validation errors."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    for field in form.fields.values():
        if isinstance(field.widget, SearchableCheckboxes | SearchableChoice):
            field.widget.filtered = True  # says that nothing was saved (Enter may have filtered)
    return form


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of the chosen items and of those matching a filter text (see the module)."""

    template_name = "core/widgets/picker.html"
    limit = 50

    def __init__(self, attrs=None, choices=(), *, limit=None):
        super().__init__(attrs, choices)
        self.limit = limit or self.limit
        self.query = ""
        self.filtered = False

    def value_from_datadict(self, data, files, name):
        self.query = " ".join((data.get(name + QUERY_SUFFIX) or "").split())[:QUERY_LENGTH]
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [option for _, group, _ in context["widget"]["optgroups"] for option in group]
        words = folded(self.query).split()
        chosen = [option for option in options if option["selected"]]
        matching = [
            option
            for option in options
            if not option["selected"] and all(word in folded(option["label"]) for word in words)
        ]
        context["widget"].update(
            {
                "query": self.query,
                "filtered": self.filtered,
                "query_name": name + QUERY_SUFFIX,
                "filter_name": FILTER,
                "chosen": chosen,
                "matching": matching[: self.limit],
                "matching_count": len(matching),
                "hidden_count": max(0, len(matching) - self.limit),
                "base_id": (attrs or {}).get("id") or self.attrs.get("id") or name,
            }
        )
        return context


class SearchableChoice(forms.RadioSelect):
    """One item of many thousands (a project's participants): radio buttons for the chosen item
    and for at most ``limit`` items that the database finds for the filter text, never the
    whole list. Used through :class:`SearchableModelChoiceField`; the filter works as above
    (the "Filter" button, or ``lider.js`` as one types)."""

    template_name = "core/widgets/picker_one.html"
    limit = 20

    def __init__(self, attrs=None, *, search, label, limit=None):
        super().__init__(attrs)
        self.search, self.label = search, label
        self.choosable = None  # the field's queryset, where the chosen item is looked up
        self.limit = limit or self.limit
        self.query = ""
        self.filtered = False

    def value_from_datadict(self, data, files, name):
        self.query = " ".join((data.get(name + QUERY_SUFFIX) or "").split())[:QUERY_LENGTH]
        return super().value_from_datadict(data, files, name)

    def _option(self, name, obj, index, *, selected, attrs):
        option_attrs = self.build_attrs(self.attrs, attrs)
        option_attrs["id"] = f"{option_attrs.get('id') or name}_{index}"
        return {
            "value": str(obj.pk),
            "label": self.label(obj),
            "selected": selected,
            "attrs": option_attrs,
        }

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        values = self.format_value(value)
        chosen_pk = values[0] if values and values[0] else None
        chosen = []
        if chosen_pk and str(chosen_pk).isdigit() and self.choosable is not None:
            chosen = [
                self._option(name, obj, 0, selected=True, attrs=attrs)
                for obj in self.choosable.filter(pk=chosen_pk)[:1]
            ]
        matching = []
        if self.query:
            # One more than shown says that there are more; one more again stands in for
            # the chosen item, left out here as it is listed above.
            found = [
                obj
                for obj in self.search(self.query)[: self.limit + 2]
                if not chosen or str(obj.pk) != str(chosen_pk)
            ]
            matching = [
                self._option(name, obj, n, selected=False, attrs=attrs)
                for n, obj in enumerate(found[: self.limit + 1], start=1)
            ]
        context["widget"].update(
            {
                "query": self.query,
                "filtered": self.filtered,
                "query_name": name + QUERY_SUFFIX,
                "filter_name": FILTER,
                "chosen": chosen,
                "matching": matching[: self.limit],
                "more": len(matching) > self.limit,
                "limit": self.limit,
                "base_id": (attrs or {}).get("id") or self.attrs.get("id") or name,
            }
        )
        return context


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A model choice among many thousands, picked through :class:`SearchableChoice`.
    ``search(text)`` returns the items matching ``text``, in order, as anything that can be
    sliced (a queryset, or a paged list such as lider.core.paging.TwoStep); the chosen value
    is looked up in ``queryset``, also when the form is validated."""

    def __init__(self, queryset, *, search, limit=None, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, **kwargs)
        self.widget = SearchableChoice(search=search, label=self.label_from_instance, limit=limit)
        self.widget.choices = ()
        self.widget.choosable = self._queryset

    def _set_queryset(self, queryset):
        # The widget lists what the search finds, never the queryset's every choice.
        self._queryset = None if queryset is None else queryset.all()
        self.widget.choosable = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)
