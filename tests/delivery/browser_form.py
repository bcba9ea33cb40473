"""What a browser would send for a form on a page, left as rendered (for "change one field,
keep the rest" tests): text and hidden inputs, checked boxes, selected options, text areas."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.labels: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._label: list[str] | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.action is None or attrs.get("action", "") == self.action):
            self.inside = True
        if tag == "label":
            self._label = []
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.action = "\0"  # only the first matching form
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "label" and self._label is not None:
            self.labels.append(" ".join("".join(self._label).split()))
            self._label = None

    def handle_data(self, data):
        if self._textarea and self.inside:
            self.data[self._textarea][-1] += data
        if self._label is not None:
            self._label.append(data)


def form_data(html: str, action: str | None = None) -> dict[str, list[str]]:
    """The fields the first form (or the form posting to ``action``) would submit as is."""
    form = _Form(action)
    form.feed(html)
    return form.data


def labels(html: str) -> list[str]:
    """The text of every <label> on the page, whitespace collapsed."""
    form = _Form(None)
    form.feed(html)
    return form.labels
