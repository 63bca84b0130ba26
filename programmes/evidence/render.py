"""An evidence pack in three forms from one PackData: accessible HTML (with a print stylesheet),
a Word document with real headings, tables and alt text, and a ZIP of CSV tables. Every cell of
a table about people is the same text the staff page shows (talkhealth.figures)."""

import csv
import io
import zipfile

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from talkhealth import figures

from .pack import PackData


def body_html(data: PackData) -> str:
    """The report's content, also the public summary once published."""
    return render_to_string("programmes/evidence/_pack_body.html", {"pack": data})


def html_document(data: PackData, body: str) -> str:
    return render_to_string("programmes/evidence/pack.html", {"pack": data, "body": mark_safe(body)})


def who_tables(data: PackData) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(file name, caption, header, rows) for each breakdown of who took part, as shown."""
    tables = []
    for d in data.who.dimensions:
        rows = [[r.label, r.people, r.share_text, r.london_text, r.ratio_text, "yes" if r.under_heard else ""]
                for r in d.rows]
        tables.append((
            f"who_took_part_{d.key}.csv",
            f"Participants by {d.title.lower()}, against London ({d.answered_text} answered)",
            [d.title, "People", "Share", "London share", "Ratio", "Under-heard"],
            rows,
        ))
    for d in data.who.others:
        tables.append((
            f"who_took_part_{d.key}.csv",
            f"{d.title} ({d.answered_text} answered)",
            ["Answer", "People", "Share"],
            [[r.label, r.people, r.share_text] for r in d.rows],
        ))
    return tables


def theme_tables(data: PackData) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """What was heard by group: the cross-tabs of the staff counts page, one a dimension."""
    return [
        (
            f"heard_by_{t.dimension}.csv",
            f"What people said: coded contributions by theme and {t.label.lower()}",
            ["Theme", *(label for _, label in t.columns), "All"],
            [[theme.name, *(c.shown for c in cells), total] for theme, cells, total in t.rows],
        )
        for t in data.theme_tables
    ]


def section_tables(data: PackData) -> list[tuple[str, str, list[str], list[list[str]]]]:
    who = data.who
    summary = [
        ["Participants", figures.people(who.participants)],
        ["Participants online", figures.people(who.online)],
        ["Participants at sessions (offline)", figures.people(who.offline)],
        ["Contributions", str(who.contributions)],
        ["Representativeness score", who.score_text],
        ["New discussions with an official response", str(data.responded)],
        ["People sent an official response or outcome", figures.people(data.notified)],
        ["Discussions that led to a change", str(len(data.changed))],
        ["Reports from residents", str(data.reports)],
        ["Posts hidden or removed by moderators", str(data.taken_down)],
    ]
    return [
        ("summary.csv", "Summary", ["Figure", "Value"], summary),
        ("asked_updates.csv", "Updates published", ["Update", "Published"],
         [[t, f"{p:%Y-%m-%d}"] for t, p, _ in data.updates]),
        ("asked_polls.csv", "Polls open in the period, with their voters", ["Question", "Opened", "Closed", "Voters"],
         [[q, f"{o:%Y-%m-%d}", f"{c:%Y-%m-%d}", figures.people(v)] for q, o, c, v in data.polls]),
        ("asked_events.csv", "Events held, with the people who booked", ["Event", "Date", "Borough", "People booked"],
         [[t, f"{s:%Y-%m-%d}", b, figures.people(n)] for t, s, b, n in data.events]),
        ("asked_sessions.csv", "Engagement sessions held, the people who came and the support provided",
         ["Session", "Kind", "Date", "Borough", "People who came", "Support"],
         [[s["title"], s["kind"], f"{s['date']:%Y-%m-%d}", s["borough"], figures.people(s["attended"]), s["support"]]
          for s in data.sessions]),
        ("heard_themes.csv", "Themes, with the contributions people made coded to each", ["Theme", "Contributions"],
         [[t.name, t.contributions] for t in data.themes]),
        ("heard_quotes.csv", "Quotes chosen by staff, anonymous", ["Theme", "Quote", "Attribution"],
         [[t.name, text, who] for t in data.themes for text, who in t.quotes]),
        ("changed_discussions.csv", "Discussions that led to a change", ["Discussion"], [[t] for t, _ in data.changed]),
    ]


def tables_zip(data: PackData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, _caption, header, rows in section_tables(data) + who_tables(data) + theme_tables(data):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(header)
            writer.writerows(rows)
            archive.writestr(name, text.getvalue())
        archive.writestr("README.txt", "\n".join([data.title, "", *data.method, "", *data.limitations, "",
                                                  f"Source of the London figures: {data.source}", ""]))
    return buffer.getvalue()


def _alt_text(table, title: str, description: str) -> None:
    """Word's table alt text (w:tblCaption, w:tblDescription), read out by screen readers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    for tag, value in (("w:tblCaption", title), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value[:250])
        properties.append(element)


def _table(document, caption: str, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_paragraph(caption, style="Caption")
    if not rows:
        document.add_paragraph("None in this period.")
        return
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
    _alt_text(table, caption, f"Table with {len(rows)} rows. Columns: {', '.join(header)}.")


def docx_bytes(data: PackData) -> bytes:
    # python-docx is loaded when a pack is written (by a worker), not by every web process.
    from docx import Document

    document = Document()
    document.core_properties.title = data.title
    document.core_properties.language = "en-GB"
    document.core_properties.author = "Healthy London Partnership"
    document.add_heading(data.title, level=0)
    document.add_paragraph(
        f"{data.programme.name}. Period: {data.start:%-d %B %Y} to {data.end:%-d %B %Y}. "
        f"Prepared {data.generated_at:%-d %B %Y}."
    )
    sections = {name: (caption, header, rows) for name, caption, header, rows in section_tables(data)}
    document.add_heading("What was asked", level=1)
    for name in ("asked_updates.csv", "asked_polls.csv", "asked_events.csv", "asked_sessions.csv"):
        _table(document, *sections[name])
    document.add_heading("Who took part", level=1)
    _table(document, *sections["summary.csv"])
    under = "; ".join(f"{r.label} ({d.title.lower()})" for d, r in data.who.under_heard)
    document.add_paragraph(f"Under-heard groups: {under or 'none'}.")
    for _name, caption, header, rows in who_tables(data):
        document.add_heading(caption.split(" (")[0], level=2)
        _table(document, caption, header, rows)
    document.add_heading("What was heard", level=1)
    counts = data.contributions
    document.add_paragraph(
        f"Contributions: {counts.get('thread', 0)} discussions started, {counts.get('comment', 0)} comments, "
        f"{counts.get('offline', 0)} contributions at sessions."
    )
    _table(document, *sections["heard_themes.csv"])
    for _name, caption, header, rows in theme_tables(data):
        document.add_heading(f"Themes by {caption.rsplit(' and ', 1)[1]}", level=2)
        _table(document, caption, header, rows)
    for theme in data.themes:
        if theme.quotes:
            document.add_heading(f"{theme.name}: in people's words", level=2)
            for text, attribution in theme.quotes:
                document.add_paragraph(text, style="Intense Quote")
                document.add_paragraph(attribution)
    document.add_heading("What changed", level=1)
    _table(document, *sections["changed_discussions.csv"])
    document.add_heading("Moderation", level=1)
    document.add_paragraph(
        f"Reports from residents: {data.reports}. Posts hidden or removed by moderators: {data.taken_down}."
    )
    document.add_heading("Method and limitations", level=1)
    document.add_heading("How this report was made", level=2)
    for line in data.method:
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("Limitations", level=2)
    for line in data.limitations:
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph(f"Source of the London figures: {data.source}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
