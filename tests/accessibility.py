"""Static WCAG 2.1 checks of rendered HTML, for the public pages.

They do not replace a manual audit; they catch what templates most often break: the page
language, one h1 and no skipped heading level, alternative text, labelled form controls,
named links and buttons, landmarks, and no inline script or style (CSP).
"""

from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.title = ""
        self.headings: list[int] = []
        self.problems: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.landmarks: set[str] = set()
        self._stack: list[tuple[str, dict, list[str]]] = []
        self._in_title = False
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "title":
            self._in_title = True
        if tag in {"main", "nav", "header", "footer"}:
            self.landmarks.add(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "img" and "alt" not in attrs:
            self.problems.append(f"img without alt: {attrs.get('src')}")
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.problems.append("inline script")
        if tag == "style" or "style" in attrs:
            self.problems.append(f"inline style on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in CONTROLS and attrs.get("type") not in UNLABELLED_INPUT_TYPES:
            self.controls.append({**attrs, "_wrapped": self._label_depth > 0})
        if tag in {"a", "button"}:
            self._stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "label":
            self._label_depth -= 1
        if tag in {"a", "button"} and self._stack and self._stack[-1][0] == tag:
            _, attrs, text = self._stack.pop()
            name = "".join(text).strip() or attrs.get("aria-label") or attrs.get("title")
            if not name:
                self.problems.append(f"<{tag}> without an accessible name: {attrs}")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for _, _, text in self._stack:
            text.append(data)


def accessibility_problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    problems = list(page.problems)
    if not page.html_lang:
        problems.append("<html> has no lang")
    if not page.title.strip():
        problems.append("empty <title>")
    if page.headings.count(1) != 1:
        problems.append(f"expected one h1, found {page.headings.count(1)}")
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        if current > previous + 1:
            problems.append(f"heading level skips from h{previous} to h{current}")
    if "main" not in page.landmarks:
        problems.append("no <main> landmark")
    for control in page.controls:
        labelled = (
            control["_wrapped"]
            or control.get("id") in page.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"unlabelled form control: {control.get('name')}")
    return problems
