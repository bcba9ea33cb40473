"""``{% pages page %}``: the controls of a paginated list, the same on every list.

A ``nav`` named for screen readers, the current page marked with ``aria-current="page"``,
a few numbers around it (Django's elided range), previous and next; every other parameter of
the address (a filter, a search) is kept."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/pages.html", takes_context=True)
def pages(context, page, anchor=""):
    if not hasattr(page, "has_other_pages") or not page.has_other_pages():
        return {"page": None}
    request = context.get("request")
    query = request.GET.copy() if request is not None else {}
    query.pop("page", None)
    keep = query.urlencode() + "&" if query else ""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "numbers": list(numbers),
        "ellipsis": page.paginator.ELLIPSIS,
        "keep": keep,
        "anchor": f"#{anchor}" if anchor else "",
    }
