"""Small SVG charts drawn on the server, so one drawing serves the page and the PDF report.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states the
figures in words, and every bar carries its label and value as text: the chart can be read
without seeing colours. Colours meet a 4.5:1 contrast against white; styling is done with
presentation attributes only (no ``style``), so a strict Content-Security-Policy holds.
"""

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats

BAR = "#1d5fa8"  # 6.4:1 on white
TARGET = "#8a1c1c"
TEXT = "#1f2328"
GRID = "#6b7280"
FONT = 'font-family="DejaVu Sans, Libertinus Serif, sans-serif" font-size="12"'

Number = int | float | Decimal


def _n(value: Number) -> str:
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, Number]],
    *,
    unit: str = "",
    width: int = 640,
) -> str:
    """Horizontal bars, one per item, with the label on the left and the value at the end."""
    row, top, label_width = 26, 8, 230
    height = top * 2 + row * max(len(items), 1)
    biggest = max([float(v) for _, v in items] + [1.0])
    plot = width - label_width - 70
    description = "; ".join(f"{label}: {_n(value)} {unit}".strip() for label, value in items)
    parts = _open(chart_id, title, description, width, height)
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = round(plot * float(value) / biggest, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(_truncate(label, 34))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" '
            f'fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 17}" fill="{TEXT}" {FONT}>'
            f"{escape(_n(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, Number, Number]],
    *,
    width: int = 640,
    value_label: str = "%(value)s of %(target)s",
) -> str:
    """Actual against target per item: a bar for the share of the target reached (capped at
    the chart's edge) and the figures "value of target (percent)" as text."""
    row, top, label_width = 30, 8, 260
    height = top * 2 + row * max(len(items), 1)
    plot = width - label_width - 150
    lines = []
    for label, value, target in items:
        share = float(value) / float(target) * 100 if target else 0.0
        figures = value_label % {"value": _n(value), "target": _n(target)}
        lines.append((label, share, f"{figures} ({round(share)}%)"))
    description = "; ".join(f"{label}: {text}" for label, _, text in lines)
    parts = _open(chart_id, title, description, width, height)
    for i, (label, share, text) in enumerate(lines):
        y = top + i * row
        length = round(plot * min(share, 100.0) / 100, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(_truncate(label, 38))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{plot}" height="{row - 10}" '
            f'fill="#ffffff" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{length}" height="{row - 10}" '
            f'fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_width + plot + 6}" y="{y + 19}" fill="{TEXT}" {FONT}>'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, Number]],
    *,
    width: int = 640,
    height: int = 220,
) -> str:
    """Vertical columns over time (e.g. months), value above each, label below."""
    bottom, top, left = 40, 22, 10
    count = max(len(items), 1)
    slot = (width - 2 * left) / count
    biggest = max([float(v) for _, v in items] + [1.0])
    plot = height - bottom - top
    description = "; ".join(f"{label}: {_n(value)}" for label, value in items)
    parts = _open(chart_id, title, description, width, height)
    parts.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    for i, (label, value) in enumerate(items):
        x = left + i * slot
        column = round(plot * float(value) / biggest, 1)
        y = height - bottom - column
        parts.append(
            f'<rect x="{round(x + slot * 0.15, 1)}" y="{y}" width="{round(slot * 0.7, 1)}" '
            f'height="{column}" fill="{BAR}"/>'
        )
        centre = round(x + slot / 2, 1)
        parts.append(
            f'<text x="{centre}" y="{y - 5}" text-anchor="middle" fill="{TEXT}" {FONT}>'
            f"{escape(_n(value))}</text>"
        )
        parts.append(
            f'<text x="{centre}" y="{height - bottom + 16}" text-anchor="middle" '
            f"fill={quoteattr(TEXT)} {FONT}>{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
