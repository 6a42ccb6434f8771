"""Small server-rendered SVG charts: no JavaScript, no chart library, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f5f8b", "#c0392b", "#d68910", "#117a65", "#6c3483", "#7f8c8d", "#2e86c1",
           "#a04000", "#1e8449", "#5b2c6f", "#b7950b")


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4 if value > 0 else 4
    return value


def bar_chart(
    data: Sequence[tuple[str, float]], *, title: str, width: int = 520, value_format: str = "{:g}",
    max_value: float | None = None, colour: str = "#1f5f8b",
) -> str:
    """Horizontal bars, one per (label, value)."""
    row, label_w, pad = 26, 170, 8
    height = max(1, len(data)) * row + 2 * pad
    top = max_value if max_value is not None else max((v for _, v in data), default=0) or 1
    bar_w = width - label_w - 70
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    if not data:
        parts.append(f'<text x="{pad}" y="{row}" class="muted">No data yet</text>')
    for i, (label, value) in enumerate(data):
        y = pad + i * row
        w = 0 if top == 0 else max(0.0, bar_w * value / top)
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end"><title>{escape(label)}'
            f"</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 9}" rx="3" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}">{escape(value_format.format(value))}'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(
    months: Sequence[str], series: dict[str, dict[str, int]], *, title: str, width: int = 760,
) -> str:
    """Columns per month, stacked by series (clause), with a legend."""
    height, left, bottom, top_pad = 260, 40, 40, 14
    legend_h = 20 * ((len(series) + 2) // 3)
    totals = [sum(s.get(m, 0) for s in series.values()) for m in months]
    top = _nice_max(max(totals, default=0))
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    col = plot_w / max(1, len(months))
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height + legend_h}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for tick in range(5):
        value = top * tick / 4
        y = top_pad + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value:g}</text>'
        )
    for i, month in enumerate(months):
        x = left + i * col + col * 0.15
        y = top_pad + plot_h
        for j, (name, counts) in enumerate(series.items()):
            n = counts.get(month, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)} {month}: {n}</title>'
                "</rect>"
            )
        parts.append(
            f'<text x="{left + i * col + col / 2:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle" class="axis">{month[2:]}</text>'
        )
    for j, name in enumerate(series):
        lx = left + (j % 3) * (plot_w / 3)
        ly = height + 20 * (j // 3) + 4
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" rx="2" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{lx + 18:.1f}" y="{ly + 11}">{escape(name)}</text>'
        )
    if not series:
        parts.append(f'<text x="{left + 10}" y="{top_pad + 30}" class="muted">No findings in '
                     "these months</text>")
    parts.append("</svg>")
    return "".join(parts)
