"""A long text shown short: cut at a word boundary and marked with an ellipsis, never mid-word.

Wherever a shortened text is shown, the whole text must be one step away (its detail page, a
`<details>` element, or the full text as the label of a choice).
"""

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its longest run of whole words that
    fits with the ellipsis (a single over-long word is cut, with the ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS) + 1]
    cut = head.rfind(" ")
    head = head[:cut] if cut > 0 else head[: limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:.–-(") + ELLIPSIS
