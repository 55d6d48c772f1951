"""Lay the report out as a PDF: cover, contents, sections with charts and tables, page numbers.

Charts are drawn with matplotlib (Agg, PNG) and text with the TrueType CJK font named by
settings.REPORT_FONT_PATH, given to both libraries explicitly so Chinese never shows as boxes.
"""

from decimal import Decimal
from functools import cache
from io import BytesIO

import matplotlib

matplotlib.use("Agg")

from django.conf import settings  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

from ..charts import PALETTE  # noqa: E402
from .content import PERCENT, TEXT, Report, Withheld, as_number  # noqa: E402

FONT = "ReportCJK"


class FontMissing(RuntimeError):
    """The CJK font file is not installed; the build fails with this reason."""


@cache
def _register_font() -> str:
    path = settings.REPORT_FONT_PATH
    try:
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
        font_manager.fontManager.addfont(path)
    except Exception as error:  # OSError, or reportlab's TTFError for a file it cannot read
        raise FontMissing(
            f"The report font {path} cannot be loaded ({error}); install fonts-wqy-microhei."
        ) from error
    family = font_manager.FontProperties(fname=path).get_name()
    plt.rcParams["font.family"] = [family]
    plt.rcParams["axes.unicode_minus"] = False
    return family


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=24, leading=32, alignment=TA_CENTER, spaceAfter=18
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=15, leading=22, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle("h1", parent=base, fontSize=16, leading=22, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=8),
        "toc": ParagraphStyle("toc", parent=base, fontSize=11, leading=18),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "number": ParagraphStyle("number", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
    }


class _Heading(Paragraph):
    """A section heading that the contents page lists."""


class _Document(SimpleDocTemplate):
    def afterFlowable(self, flowable) -> None:  # noqa: N802 (reportlab's hook name)
        if isinstance(flowable, _Heading):
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _format(value, kind: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Withheld):
        return str(value)
    if kind == PERCENT and isinstance(value, Decimal | float):
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _table(table, styles) -> Table:
    header = [Paragraph(str(name), styles["cell"]) for name, _kind in table.columns]
    body = [*table.rows, *([table.total] if table.total else [])]
    rows = [header]
    for values in body:
        rows.append(
            [
                Paragraph(_format(value, kind), styles["cell" if kind == TEXT else "number"])
                for (_name, kind), value in zip(table.columns, values, strict=False)
            ]
        )
    first = 7 * cm if len(table.columns) > 2 else 9 * cm
    rest = (17 * cm - first) / max(1, len(table.columns) - 1)
    result = Table(rows, colWidths=[first] + [rest] * (len(table.columns) - 1), repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if table.total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2")))
    result.setStyle(TableStyle(style))
    return result


def _chart_png(chart) -> BytesIO:
    figure, axes = plt.subplots(figsize=(7.5, 3.4), dpi=110)
    count = max(1, len(chart.series))
    width = 0.8 / count
    positions = range(len(chart.labels))
    for index, (name, values) in enumerate(chart.series):
        numbers = [as_number(v) or 0 for v in values]
        if chart.percent:
            numbers = [n * 100 for n in numbers]
        axes.bar(
            [p + index * width - 0.4 + width / 2 for p in positions],
            numbers,
            width=width,
            label=str(name),
            color=PALETTE[index % len(PALETTE)],
        )
    axes.set_xticks(list(positions))
    axes.set_xticklabels([str(label) for label in chart.labels], rotation=30, ha="right")
    axes.set_title(str(chart.title))
    if chart.percent:
        axes.set_ylabel("%")
    if len(chart.series) > 1:
        axes.legend()
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    output = BytesIO()
    figure.savefig(output, format="png")
    plt.close(figure)
    output.seek(0)
    return output


def build_pdf(report: Report, *, progress=None) -> bytes:
    """Return the report as PDF bytes; `progress()` is called after each section."""
    _register_font()
    styles = _styles()
    page_label = _("Page %(number)s")
    footer = f"{report.title} · {report.subtitle}"

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, page_label % {"number": document.page})
        canvas.restoreState()

    contents = TableOfContents()
    contents.levelStyles = [styles["toc"]]
    story = [
        Spacer(1, 6 * cm),
        Paragraph(report.title, styles["title"]),
        Paragraph(report.subtitle, styles["subtitle"]),
        Spacer(1, 1 * cm),
        Paragraph(_("Figures as on %(day)s") % {"day": report.on.isoformat()}, styles["subtitle"]),
        PageBreak(),
        Paragraph(_("Contents"), styles["h1"]),
        contents,
        PageBreak(),
    ]
    for number, section in enumerate(report.sections, start=1):
        story.append(_Heading(f"{number}. {section.title}", styles["h1"]))
        for chart in section.charts:
            story.append(Image(_chart_png(chart), width=16.5 * cm, height=7.5 * cm))
        for table in section.tables:
            story.append(Paragraph(table.title, styles["h2"]))
            story.append(Spacer(1, 0.15 * cm))
            story.append(_table(table, styles))
        if section.note:
            story.append(Spacer(1, 0.3 * cm))
            story.append(Paragraph(section.note, styles["body"]))
        story.append(PageBreak())
        if progress is not None:
            progress()
    output = BytesIO()
    document = _Document(
        output,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=report.title,
    )
    document.multiBuild(story, onFirstPage=on_page, onLaterPages=on_page)
    return output.getvalue()
