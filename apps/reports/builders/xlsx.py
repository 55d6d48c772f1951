"""Lay the report out as an XLSX workbook: a sheet per section, native charts, safe cells."""

import unicodedata
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.core.exports import csv_safe_cell

from .content import DECIMAL, INT, PERCENT, Report, Withheld

FORMATS = {INT: "#,##0", PERCENT: "0.0%", DECIMAL: "#,##0.0#"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60


def _display_width(text: str) -> int:
    # East Asian wide characters take two columns in Excel's default font.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value):
    if value is None:
        return "—"
    if isinstance(value, Withheld):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float):
        return value
    return csv_safe_cell(value)  # text: neutralised against formula injection


def _sheet_title(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name[:25]}({n})", n + 1
    used.add(candidate)
    return candidate


def build_xlsx(report: Report) -> bytes:
    """Return the report as XLSX bytes."""
    book = Workbook()
    cover = book.active
    cover.title = _sheet_title(_("Contents"), used := set())
    cover["A1"] = csv_safe_cell(report.title)
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = csv_safe_cell(report.subtitle)
    cover["A3"] = csv_safe_cell(_("Figures as on %(day)s") % {"day": report.on.isoformat()})
    cover.column_dimensions["A"].width = 50
    for index, section in enumerate(report.sections, start=1):
        cover.cell(row=4 + index, column=1, value=csv_safe_cell(f"{index}. {section.title}"))

    for section in report.sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        sheet["A1"] = csv_safe_cell(section.title)
        sheet["A1"].font = Font(bold=True, size=13)
        widths: dict[int, int] = {1: _display_width(section.title)}
        row = 2
        chart_anchor_col = 1
        first_table_ref = None
        for table in section.tables:
            header_row = row
            for col, (name, _kind) in enumerate(table.columns, start=1):
                cell = sheet.cell(row=row, column=col, value=csv_safe_cell(name))
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[col] = max(widths.get(col, 0), _display_width(str(name)))
            if table is section.tables[0]:
                # The first table's header row stays in view while scrolling.
                sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
            row += 1
            body = [*table.rows, *([table.total] if table.total else [])]
            for values in body:
                for col, ((_name, kind), value) in enumerate(
                    zip(table.columns, values, strict=False), start=1
                ):
                    cell = sheet.cell(row=row, column=col, value=_cell_value(value))
                    if kind in FORMATS and isinstance(cell.value, int | float):
                        cell.number_format = FORMATS[kind]
                    widths[col] = max(widths.get(col, 0), _display_width(str(cell.value)))
                    if values is table.total:
                        cell.font = Font(bold=True)
                row += 1
            if first_table_ref is None and table.rows:
                first_table_ref = (header_row, header_row + len(table.rows), table.columns)
            sheet.cell(row=row, column=1, value=csv_safe_cell(table.title)).font = Font(
                italic=True, color="666666"
            )
            row += 2
            chart_anchor_col = max(chart_anchor_col, len(table.columns))
        if section.note:
            sheet.cell(row=row, column=1, value=csv_safe_cell(section.note))
            row += 2
        for col, width in widths.items():
            sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width + 3)
        if first_table_ref is not None and section.charts:
            _add_chart(sheet, section, first_table_ref, anchor_col=chart_anchor_col + 2)

    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _add_chart(sheet, section, table_ref, *, anchor_col: int) -> None:
    """Add a native bar chart over the first table's numeric columns."""
    header_row, last_row, columns = table_ref
    kinds = [kind for _name, kind in columns]
    wanted = INT if INT in kinds else PERCENT
    numeric = [col for col, kind in enumerate(kinds, start=1) if col > 1 and kind == wanted]
    if not numeric:
        return
    chart = BarChart()
    chart.title = section.charts[0].title
    chart.height, chart.width = 8, 16
    for col in numeric[:3]:
        data = Reference(sheet, min_col=col, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
    sheet.add_chart(chart, f"{get_column_letter(anchor_col)}2")
