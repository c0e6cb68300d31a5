"""The Excel input template: one sheet per table, Chinese sheet names and headers, and a 说明 sheet.

Everything is derived from the declarations of ``qyanalysis.contract.columns``
and the indicator catalogue, so the template can never disagree with the
validation. ``data_dictionary_markdown`` (re-exported here) writes the same
information as ``docs/data-dictionary.md``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qyanalysis.contract.columns import TABLES, Table
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.io.dictionary import KIND_ZH, allowed_text, data_dictionary_markdown

GUIDE_SHEET = "说明"
CODES_SHEET = "指标代码"
DEFAULT_TEMPLATE_NAME = "qyanalysis-template.xlsx"
GUIDE_INTRO = (
    "填写说明:每个工作表对应一张数据表,第一行为表头(可使用中文表头或英文列名),每行一条记录。",
    "必填列不能为空;空单元格表示缺失值(不是0)。比例类指标填小数(0.85)或百分数(85%)。",
    "县(市、区)可填6位行政区划代码、全称、简称或英文名。不得包含姓名、身份证号、电话、住址等个人信息。",
    "检查方法:qyanalysis validate 本文件所在文件夹 (或本文件路径)。",
)
GUIDE_HEADERS = ("工作表", "列名", "中文表头", "类型", "单位", "必填", "允许值", "说明", "其他可接受表头")
CODES_HEADERS = ("指标代码", "中文名称", "English label", "单位", "要点条目", "来源")
_LIST_VALIDATION_LIMIT = 250  # Excel's limit on an inline list is 255 characters


def _guide_rows() -> list[tuple[str, ...]]:
    rows = []
    for table in TABLES.values():
        for column in table.columns:
            rows.append((table.label_zh, column.name, column.label_zh, KIND_ZH[column.kind], column.unit,
                         "是" if column.required else "否", allowed_text(table, column), column.description,
                         "、".join(column.aliases)))
    return rows


def _style_header(sheet, widths: list[int]) -> None:
    _style_row(sheet, 1, widths)
    sheet.freeze_panes = "A2"


def _style_row(sheet, row: int, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(workbook, table: Table) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.create_sheet(table.label_zh)
    sheet.append([c.label_zh for c in table.columns])
    _style_header(sheet, [max(10, 2 * len(c.label_zh) + 2) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.comment = Comment(f"{column.name}: {column.description}", "qyanalysis")
        if column.required:
            cell.font = Font(bold=True, color="C00000")
        letter = get_column_letter(index)
        choices = column.allowed or (("是", "否") if column.kind == "bool" else ())
        if choices and len(",".join(choices)) <= _LIST_VALIDATION_LIMIT:
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        elif (table.name, column.name) == ("indicators", "indicator"):
            rule = DataValidation(type="list", formula1=f"'{CODES_SHEET}'!$A$2:$A${len(CATALOGUE) + 1}",
                                  allow_blank=True)
        else:
            continue
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}10000")


def build_template():
    """The template as an ``openpyxl.Workbook``: 说明 first, then one sheet per table, then 指标代码."""
    import openpyxl

    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    for line in GUIDE_INTRO:
        guide.append((line,))
    guide.append(())
    guide.append(GUIDE_HEADERS)
    for row in _guide_rows():
        guide.append(row)
    _style_row(guide, len(GUIDE_INTRO) + 2, [10, 28, 22, 14, 10, 6, 40, 60, 30])
    for table in TABLES.values():
        _table_sheet(workbook, table)
    codes = workbook.create_sheet(CODES_SHEET)
    codes.append(CODES_HEADERS)
    for entry in CATALOGUE.values():
        codes.append((entry.code, entry.label_zh, entry.label_en, entry.unit, entry.item, entry.origin))
    _style_header(codes, [42, 40, 60, 16, 10, 10])
    return workbook


def write_template(path: str | Path) -> Path:
    """Write the Excel input template and return its path.

    Args:
        path: The ``.xlsx`` to write; a folder gets ``qyanalysis-template.xlsx`` inside it.

    The file is written to a temporary name first and then moved into place,
    so that a failed write never leaves half a workbook behind.
    """
    path = Path(path)
    if path.is_dir():
        path = path / DEFAULT_TEMPLATE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        build_template().save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


__all__ = ["write_template", "build_template", "data_dictionary_markdown", "allowed_text"]
