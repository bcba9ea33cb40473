"""Layout a reader sees in a real browser: the public project page's section buttons sit side
by side or one under another, never over each other, on a desktop and on a 390 px phone."""

import pytest

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e


def overlapping(boxes):
    """Pairs of boxes (x, y, width, height) that share an area of more than a pixel."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            if width > 1 and height > 1:
                pairs.append((a, b))
    return pairs


def test_overlapping_finds_shared_areas_only():
    a = {"x": 0, "y": 0, "width": 100, "height": 30}
    b = {"x": 95, "y": 0, "width": 100, "height": 30}  # 5 px over a
    c = {"x": 200, "y": 0, "width": 100, "height": 30}
    d = {"x": 0, "y": 30, "width": 100, "height": 30}  # touching a's bottom edge
    assert overlapping([a, b, c, d]) == [(a, b)]


@pytest.mark.parametrize("tab", ["browser_page", "phone_page"])
def test_project_page_buttons_do_not_overlap(tab, request):
    checked = request.getfixturevalue(tab)
    checked.goto(f"/projekty/{SLUG}/")
    links = checked.page.locator("nav.sections a")
    assert links.count() == 4
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert overlapping(boxes) == []
    width = checked.page.viewport_size["width"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
