"""The data dictionary (``docs/data-dictionary.md``), generated from the declarations.

``data_dictionary_markdown()`` renders every table and column of
``contract/columns.py``, the accepted spellings, the row rules of
``io/checks.py`` and the indicator catalogue; a test keeps the committed file
equal to its output.
"""

from __future__ import annotations

from qyanalysis.contract.columns import PERSONAL_DATA_HEADERS, TABLES, YEAR_MAX, YEAR_MIN, Column, Table
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.io.checks import AGE_RULES, CITY_ALLOWED_TABLES, PART_RULES
from qyanalysis.io.convert import FALSE_WORDS, TRUE_WORDS
from qyanalysis.io.problems import MAX_ROWS_PER_PROBLEM
from qyanalysis.io.text import MISSING_TOKENS

KIND_ZH = {
    "id": "标识码", "text": "文本", "county": "县区", "category": "分类", "year": "年份", "period": "统计期",
    "count": "计数", "amount": "数额", "number": "数值", "bool": "是/否",
}
KIND_MEANING = {
    "id": ("identifier, never empty when required; full-width characters folded", "str"),
    "text": ("free text, trimmed", "str"),
    "county": ("6-digit code, full, short or English name → `county_code`", "str (6 digits)"),
    "category": ("one of the allowed values (case, width and spaces ignored)", "str"),
    "year": (f"whole calendar year, {YEAR_MIN}–{YEAR_MAX}", "int64 (Int64 when optional)"),
    "period": ("empty (annual), YYYY-MM or YYYY-Qn", 'str ("" when empty)'),
    "count": ("whole number >= 0", "float64, NaN = missing"),
    "amount": ("number >= 0 with a unit", "float64, NaN = missing"),
    "number": ("any number; '85%' → 0.85", "float64, NaN = missing"),
    "bool": ("yes/no", "boolean (nullable)"),
}
VALIDATION_CHOICE = """\
**Why hand-written checks rather than pandera.** We built a pandera 0.35 schema from the same
declarations (`lazy=True`) and kept the hand-written, vectorised checks instead. Most real errors
happen while turning text into values ("85%", "1,234", 是/否, county names, Excel dates), which pandera
reports only as one opaque coercion failure, so parsing had to be ours anyway; the cross-column rules
(parts against their whole per school level, "first given at row N", age from birth year) became custom
checks whose failure cases still had to be mapped back to spreadsheet rows and reworded; and on a
1.2 M-row school census pandera's column checks alone cost about 6 s of CPU, against 4–7 s for
reading, converting and checking everything here. Each check is a small function over whole columns
that records every offending row, so one pass lists every problem."""


def allowed_text(table: Table, column: Column) -> str:
    """The allowed values of a column, in words (used by the template and the dictionary)."""
    if column.allowed:
        return ", ".join(column.allowed)
    if (table.name, column.name) == ("indicators", "indicator"):
        return "a code of the indicator catalogue (sheet 指标代码)"
    if column.kind == "county":
        return "6-digit code, full, short or English name"
    if column.kind == "bool":
        return "true/false, 1/0, 是/否, yes/no"
    if column.kind == "period":
        return "empty, YYYY-MM or YYYY-Qn"
    return ""


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table_section(table: Table) -> list[str]:
    required = "required" if table.required else "optional"
    lines = [
        f"### `{table.name}` — {table.label_zh} ({required})", "",
        f"One row per {table.description}. Key (unique): `{'`, `'.join(table.key)}`.", "",
        "| column | 中文表头 | kind | unit | required | allowed values | other headers | description |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        lines.append("| " + " | ".join(_cell(v) for v in (
            f"`{c.name}`", c.label_zh, c.kind, c.unit, "yes" if c.required else "", allowed_text(table, c),
            ", ".join(c.aliases), c.description)) + " |")
    return lines + [""]


def _rules_section() -> list[str]:
    lines = ["## Row rules", "", "Checked on every row where all the columns involved have a value:", ""]
    for table_name, rules in PART_RULES.items():
        for rule in rules:
            parts = " + ".join(f"`{p}`" for p in rule.parts)
            scope = f" (schools of level {', '.join(rule.levels)})" if rule.levels else ""
            relation = "=" if rule.exact else "<="
            lines.append(f"- `{table_name}`: {parts} {relation} `{rule.whole}`{scope}")
    for table_name, age_rules in AGE_RULES.items():
        for age in age_rules:
            lines.append(f"- `{table_name}`: `{age.year}` − `{age.birth}` between {age.min_age} and "
                         f"{age.max_age} (inclusive); `{age.birth}` is exempt from {YEAR_MIN}–{YEAR_MAX}")
    lines += [
        "- every table: no two rows with the same key (the later row is reported with the row of the first)",
        f"- the city code is accepted as a county only in {', '.join(f'`{t}`' for t in CITY_ALLOWED_TABLES)}",
        "- `indicators.value`: for a `share`/`rate` indicator a fraction 0–1 — a bare number above 1 (85) "
        "is an error, not a guess (give 0.85 or '85%'); a `pp` change within ±1; `count` indicators whole "
        "and >= 0; "
        "other units >= 0 except `pp` and `change`; a % sign only for share, rate, pp and change; "
        "a `flag` (yes/no) indicator takes 是/否, yes/no, true/false or 1/0 and nothing else, and no other "
        "indicator takes a yes/no word",
        "- `tasks.item`: a plan item 1–37; `targets_override.target_id`: a `target_id` of the target "
        "registry",
        "- a folder's own `counties` table: 6-digit `county_code`; it replaces the built-in Qingyuan "
        "registry",
        "",
    ]
    return lines


def _reading_section() -> list[str]:
    personal = ", ".join(PERSONAL_DATA_HEADERS)
    return [
        "## How files are read", "",
        "- A data folder holds one file per table, named after the table in English or Chinese "
        "(`schools.csv`, `学校.csv`, `.parquet`), or one `.xlsx` workbook whose sheets carry those names; "
        "the path of a workbook works too. Sheets named 说明, 指标代码 are ignored.",
        "- CSV: UTF-8 with or without BOM, else GB18030/GBK (detected); comma or tab separated.",
        "- Headers: the English name, the Chinese label or any listed other header, matched after NFKC "
        "folding (full-width → half-width), ignoring case, spaces and a trailing unit in brackets "
        "(`在校生数(人)`). Unknown columns are ignored with a warning.",
        "- Title rows and merged group headers above the header are skipped: the header is the first row "
        "where at least two cells, and at least half of the filled cells, are known headers.",
        "- Every cell is read as text, then converted by its kind, so every error names its row. Row numbers "
        "are spreadsheet rows (header row = 1 when there is no title; blank and title rows counted).",
        "- Blank rows are skipped; rows labelled 合计/总计/小计/total are dropped with a warning.",
        f"- Missing values: an empty cell, or one of {', '.join(f'`{t}`' for t in MISSING_TOKENS)} "
        "(case ignored) — never read as 0.",
        "- Numbers: full-width digits, thousands separators (`1,234`), `85%` → 0.85 (only in `number` "
        "columns; a count never holds a percentage).",
        f"- Booleans, read as true: {', '.join(TRUE_WORDS)}; as false: {', '.join(FALSE_WORDS)} "
        "(case ignored).",
        "- Required columns need a value in every row.",
        "- Periods: `2022-06`, `2022-6`, `2022年6月`, an Excel date on the 1st of a month, `2022-Q2`, "
        "`2022Q2`, `2022年第二季度`.",
        f"- Personal data is refused: a header containing any of {personal}; a text or id column (or an "
        "unknown column) holding 18-digit ID-card numbers or 11-digit mobile numbers starting with 1. "
        "Messages never repeat the values.",
        f"- Errors are collected in one pass; a problem shared by many rows is listed for the first "
        f"{MAX_ROWS_PER_PROBLEM} rows, then counted in one line.",
        "",
    ]


def _kinds_section() -> list[str]:
    lines = ["## Kinds", "", "| kind | 类型 | accepts | dtype after loading |", "|---|---|---|---|"]
    for kind, (accepts, dtype) in KIND_MEANING.items():
        lines.append(f"| `{kind}` | {KIND_ZH[kind]} | {_cell(accepts)} | {_cell(dtype)} |")
    return lines + ["", "Declared columns absent from a file are present in the Dataset, all missing.", ""]


def _catalogue_section() -> list[str]:
    lines = ["## Indicator catalogue", "",
             "Codes accepted in `indicators.indicator` (`qyanalysis/contract/indicators.py`).", "",
             "| code | item | unit | origin | 中文 | English |", "|---|---|---|---|---|---|"]
    for e in CATALOGUE.values():
        lines.append("| " + " | ".join(_cell(v) for v in (f"`{e.code}`", e.item, e.unit, e.origin, e.label_zh,
                                                          e.label_en)) + " |")
    return lines + [""]


def data_dictionary_markdown() -> str:
    """The data dictionary as Markdown (the content of ``docs/data-dictionary.md``)."""
    lines = [
        "# Data dictionary", "",
        "<!-- Generated by qyanalysis.io.templates.data_dictionary_markdown(); do not edit by hand. -->", "",
        "Every input table and column of a qyanalysis data folder, declared once in "
        "`qyanalysis/contract/columns.py`. The validation (`qyanalysis validate DIR`), the Excel template "
        "(`qyanalysis template FILE.xlsx`) and this page are all generated from those declarations.", "",
        VALIDATION_CHOICE, "",
        "## Tables", "", "| table | 工作表 | required | one row per |", "|---|---|---|---|",
        *(f"| `{t.name}` | {t.label_zh} | {'yes' if t.required else 'no'} | {_cell(t.description)} |"
          for t in TABLES.values()),
        "",
    ]
    lines += _reading_section() + _kinds_section() + _rules_section()
    lines += ["## Columns", ""]
    for table in TABLES.values():
        lines += _table_section(table)
    lines += _catalogue_section()
    return "\n".join(lines).rstrip() + "\n"
