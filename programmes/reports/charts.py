"""Bar charts drawn on the server as SVG: no JavaScript and nothing fetched from elsewhere. Each
chart is an image with a title and description, and the page puts its data table beside it."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    text_x: float = 0
    text_y: float = 0


BLUE, DARK_BLUE = "#005eb8", "#003087"


def weekly_columns(weeks, *, height: int = 180, column: int = 18, gap: int = 10) -> dict:
    """Two columns per week, discussions started and comments, on a shared scale."""
    top = max([max(w.threads, w.comments) for w in weeks] + [1])
    bars, labels = [], []
    for i, week in enumerate(weeks):
        x = 40 + i * (2 * column + gap)
        for j, (value, colour) in enumerate(((week.threads, DARK_BLUE), (week.comments, BLUE))):
            h = value * (height - 20) / top
            bars.append(
                Bar(
                    label=f"{week.start:%-d %b}",
                    value=value,
                    x=x + j * column,
                    y=height - h,
                    width=column - 2,
                    height=h,
                    colour=colour,
                )
            )
        labels.append(
            {
                "x": x + column,
                "y": height + 16,
                "text": f"{week.start:%-d %b}",
                "show": i % max(len(weeks) // 8, 1) == 0,
            }
        )
    width = 40 + len(weeks) * (2 * column + gap)
    return {
        "bars": bars,
        "labels": labels,
        "width": max(width, 200),
        "height": height + 24,
        "top": top,
        "axis_y": height,
    }


def horizontal_bars(
    rows, *, value=lambda r: r.participants, label=lambda r: r.label, width: int = 480, row: int = 24
) -> dict:
    """One bar per row, longest first as given, labelled with its value."""
    top = max([value(r) for r in rows] + [1])
    label_width, bars = 190, []
    for i, r in enumerate(rows):
        w = value(r) * (width - label_width - 50) / top
        y = i * row
        bars.append(
            Bar(
                label=label(r),
                value=value(r),
                x=label_width,
                y=y + 4,
                width=max(w, 1),
                height=row - 8,
                colour=BLUE,
                text_x=label_width + max(w, 1) + 6,
                text_y=y + row / 2 + 5,
            )
        )
    return {"bars": bars, "width": width, "height": max(len(rows) * row, row), "label_x": label_width - 8}
