"""A corpus of broken data folders, each built from a copy of a small valid dataset.

The valid base is cut from the bundled demonstration data (``data/demo``): the
first 24 schools of one county (清城区, 441802) in the years 2021–2022, the
city's and the county's indicators, tasks and quotas, and the county's first
120 teachers of 2022 (Parquet). Every table is kept as text (``str`` frames),
so that a case can put any cell into any column.

Each :class:`Case` changes one thing (a cell, a header, a file) and states the
problem line that ``qyanalysis validate`` must print for it: the file (or
``book.xlsx[sheet]``), the spreadsheet row and the column header (None where
the problem has none, e.g. a missing table) and a fragment of the message.
Row numbers are spreadsheet rows: the header is row 1, data frame position
``i`` is row ``i + 2`` in every format used here (no title rows).

Formats: ``csv`` (UTF-8), ``gb18030`` (CSV in GB18030), ``xlsx_zh`` (the
changed table as a sheet of ``数据.xlsx`` with its Chinese sheet name and
Chinese headers), ``xlsx_en`` (sheet of ``book.xlsx`` with English names) and
``parquet`` (typed columns where every cell parses, text otherwise).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import TABLES
from qyanalysis.contract.counties import BUILTIN_COUNTIES_CSV
from qyanalysis.io.checks import PART_RULES, PartRule

REPO = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO / "data" / "demo"
COUNTY = "441802"
CITY = "441800"
YEARS = ("2021", "2022")
TEACHER_YEAR = 2022
# Enough rows for every case position (the part rules use rows 22–33), few enough to stay fast.
SCHOOLS_KEPT = 24
TEACHERS_KEPT = 120
ZH_BOOK = "数据.xlsx"
EN_BOOK = "book.xlsx"
FORMATS = ("csv", "gb18030", "xlsx_zh", "xlsx_en", "parquet")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the first bytes of an old binary .xls

Tables = dict[str, pd.DataFrame]


# --- the valid base -----------------------------------------------------------------------------

def _read_text_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text the way a spreadsheet shows it ("" for missing, "true" for True)."""
    from qyanalysis.io.text import column_to_text

    texts = {c: column_to_text(frame[c]).to_numpy(dtype=object) for c in frame.columns}
    return pd.DataFrame(texts).astype("str")


def base_tables() -> Tables:
    """The small valid dataset as text frames: schools, indicators, teachers, tasks, targets_override, survey."""
    schools = _read_text_csv(DEMO_DIR / "schools.csv")
    schools = schools[(schools["county"] == COUNTY) & schools["year"].isin(YEARS)]
    schools = schools[schools["school_id"].isin(schools["school_id"].unique()[:SCHOOLS_KEPT])]
    indicators = _read_text_csv(DEMO_DIR / "indicators.csv")
    indicators = indicators[indicators["county"].isin((COUNTY, CITY)) & indicators["year"].isin(YEARS)]
    teachers = pd.read_parquet(DEMO_DIR / "teachers.parquet")
    teachers = teachers[(teachers["county"] == COUNTY) & (teachers["year"] == TEACHER_YEAR)]
    teachers = teachers.head(TEACHERS_KEPT)
    tasks = _read_text_csv(DEMO_DIR / "tasks.csv")
    tasks = tasks[tasks["county"].isin((COUNTY, CITY))]
    overrides = _read_text_csv(DEMO_DIR / "targets_override.csv")
    overrides = overrides[overrides["county"] == COUNTY]
    survey = _read_text_csv(DEMO_DIR / "survey.csv")
    survey = survey[(survey["county"] == COUNTY) & survey["year"].isin(YEARS)]
    frames = {"schools": schools, "indicators": indicators, "teachers": _text_frame(teachers),
              "tasks": tasks, "targets_override": overrides, "survey": survey}
    return {name: frame.reset_index(drop=True).astype("str") for name, frame in frames.items()}


def counties_table() -> pd.DataFrame:
    """The built-in registry as a folder's own ``counties`` table (text)."""
    frame = pd.read_csv(BUILTIN_COUNTIES_CSV, dtype=str, keep_default_na=False)
    declared = [c.name for c in TABLES["counties"].columns]
    return frame[[c for c in frame.columns if c in declared]].astype("str")


# --- writing a folder ---------------------------------------------------------------------------

def _typed_for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns typed as an export would type them: whole numbers, floats, booleans, else text."""
    out = {}
    for name in frame.columns:
        text = frame[name]
        filled = text != ""
        numbers = pd.to_numeric(text.where(filled), errors="coerce")
        if filled.any() and numbers[filled].notna().all() and not name.endswith("_id"):
            whole = (numbers[filled] % 1 == 0).all()
            out[name] = numbers.astype("Int64") if whole else numbers.astype("float64")
        elif filled.any() and text[filled].isin(("true", "false")).all():
            out[name] = text.map({"true": True, "false": False, "": pd.NA}).astype("boolean")
        else:
            out[name] = text
    return pd.DataFrame(out)


def _excel_value(text: str) -> object:
    """A cell as Excel would hold it: numbers as numbers, everything else as text, "" as empty."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    if not np.isfinite(number) or text.strip() != text or text.startswith(("0", "+")) and len(text) > 1:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def _zh_headers(name: str, frame: pd.DataFrame) -> list[str]:
    table = TABLES[name]
    declared = {c.name: c.label_zh for c in table.columns}
    return [declared.get(c, c) for c in frame.columns]


def write_book(path: Path, sheets: dict[str, tuple[list[str], pd.DataFrame]]) -> None:
    """Write sheets ``name → (headers, frame of text)`` into one workbook."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, (headers, frame) in sheets.items():
        sheet = book.create_sheet(sheet_name)
        sheet.append(headers)
        for row in frame.itertuples(index=False):
            sheet.append([_excel_value(v) for v in row])
    book.save(path)


def write_tables(folder: Path, tables: Tables, formats: dict[str, str]) -> None:
    """Write each table in its format (default: CSV UTF-8, the teacher roster as Parquet)."""
    folder.mkdir(parents=True, exist_ok=True)
    books: dict[str, dict[str, tuple[list[str], pd.DataFrame]]] = {}
    for name, frame in tables.items():
        fmt = formats.get(name, "parquet" if name == "teachers" else "csv")
        if fmt in ("csv", "gb18030"):
            encoding = "utf-8" if fmt == "csv" else "gb18030"
            frame.to_csv(folder / f"{name}.csv", index=False, encoding=encoding, lineterminator="\n")
        elif fmt == "parquet":
            _typed_for_parquet(frame).to_parquet(folder / f"{name}.parquet", index=False)
        elif fmt == "xlsx_zh":
            books.setdefault(ZH_BOOK, {})[TABLES[name].label_zh] = (_zh_headers(name, frame), frame)
        elif fmt == "xlsx_en":
            books.setdefault(EN_BOOK, {})[name] = (list(frame.columns), frame)
        else:
            raise ValueError(f"unknown format {fmt}")
    for book_name, sheets in books.items():
        write_book(folder / book_name, sheets)


# --- the cases ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One broken input.

    Attributes:
        name: Identifier (test id).
        table: The table it breaks (for the coverage check), or "folder".
        fmt: Format of the changed table (``FORMATS``).
        change: Changes the text frames in place (may add ``counties``).
        file: Expected file label (``schools.csv``, ``数据.xlsx[学校]``); "{folder}" = the folder name.
        row: Expected spreadsheet row, or None.
        column: Expected column header as written, or None.
        fragment: A fragment of the expected message.
        after: Changes the written folder (bytes-level breakage), optional.
    """

    name: str
    table: str
    fmt: str
    change: Callable[[Tables], None]
    file: str
    row: int | None
    column: str | None
    fragment: str
    after: Callable[[Path], None] | None = field(default=None)


def label(table: str, fmt: str) -> str:
    """The file label under which problems of ``table`` in ``fmt`` are reported."""
    if fmt == "xlsx_zh":
        return f"{ZH_BOOK}[{TABLES[table].label_zh}]"
    if fmt == "xlsx_en":
        return f"{EN_BOOK}[{table}]"
    return f"{table}.{'parquet' if fmt == 'parquet' else 'csv'}"


def header(table: str, column: str, fmt: str) -> str:
    """The header of a declared column as the corpus writes it in ``fmt``."""
    return TABLES[table].column(column).label_zh if fmt == "xlsx_zh" else column


def set_cells(table: str, position: int, **values: str) -> Callable[[Tables], None]:
    """A change that writes ``values`` into the row at frame ``position`` (spreadsheet row position + 2)."""
    def change(tables: Tables) -> None:
        frame = tables[table]
        for column, value in values.items():
            if column not in frame:
                frame[column] = ""
            frame.loc[position, column] = value
    return change


def cell_case(name: str, table: str, fmt: str, position: int, column: str, fragment: str,
              report_column: str | None = None, **values: str) -> Case:
    """A case whose problem is one cell (or one row) of ``table`` at frame ``position``."""
    shown = report_column or column
    return Case(name, table, fmt, set_cells(table, position, **values), label(table, fmt), position + 2,
                header(table, shown, fmt), fragment)


def _drop_column(table: str, column: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table] = tables[table].drop(columns=[column])
    return change


def _add_column(table: str, column: str, values: Callable[[int], list[str]]) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table][column] = values(len(tables[table]))
    return change


def _drop_table(table: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        del tables[table]
    return change


def _header_only(table: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table] = tables[table].iloc[:0]
    return change


def _duplicate_row(table: str, source: int, target: int) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        frame = tables[table]
        frame.loc[target] = frame.loc[source]
    return change


def _with_counties(edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables["counties"] = edit(counties_table())
    return change


def _unchanged(tables: Tables) -> None:
    return None


def _write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def after(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return after


def _random_bytes(seed: int, size: int = 2048) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8).tobytes()


def _mixed_encodings(folder: Path) -> None:
    """schools.csv in UTF-8 whose row 6 was pasted in from a GB18030 file."""
    path = folder / "schools.csv"
    lines = path.read_bytes().split(b"\n")
    lines[5] = lines[5].decode("utf-8").encode("gb18030")
    path.write_bytes(b"\n".join(lines))


def _utf8_row_in_gb18030(folder: Path) -> None:
    """schools.csv in GB18030 whose row 8 was pasted in from a UTF-8 file."""
    path = folder / "schools.csv"
    lines = path.read_bytes().split(b"\n")
    lines[7] = lines[7].decode("gb18030").encode("utf-8")
    path.write_bytes(b"\n".join(lines))


def _note_book(path: Path, note: str) -> None:
    write_book(path, {"说明": (["说明"], pd.DataFrame({"说明": [note]}))})


def _two_workbooks(folder: Path) -> None:
    """Two workbooks beside the CSV tables (a folder may hold at most one)."""
    _note_book(folder / "a.xlsx", "一")
    _note_book(folder / "extra.xlsx", "另一个工作簿")


def _part_values(rule: PartRule, rules: tuple[PartRule, ...]) -> dict[str, str]:
    """Cells that break ``rule`` and no other rule: parts of the same whole in other rules are emptied."""
    values = {p: "" for other in rules if other.whole == rule.whole for p in other.parts}
    values["level"] = rule.levels[0] if rule.levels else "primary"
    if rule.exact:  # 600 + 300 (+ 50) differs from 1000
        values.update({rule.whole: "1000"}, **dict(zip(rule.parts, ("600", "300", "50"))))
    else:  # 101 (+ 0 …) is more than 100
        values.update({rule.whole: "100"}, **{p: "0" for p in rule.parts})
        values[rule.parts[0]] = "101"
    return values


def part_rule_case_name(rule: PartRule) -> str:
    """The corpus name of the case that breaks ``rule``."""
    if rule.exact:
        return f"{rule.levels[0]}_{'_plus_'.join(rule.parts)}_differs_from_{rule.whole}"
    return f"{'_plus_'.join(rule.parts)}_more_than_{rule.whole}"


def _part_cases() -> list[Case]:
    """One case per rule of ``qyanalysis.io.checks.PART_RULES`` (parts larger than, or not adding up to,
    their whole), in turn in every format."""
    rules = PART_RULES["schools"]
    return [cell_case(part_rule_case_name(rule), "schools", FORMATS[index % len(FORMATS)], 20 + index,
                      rule.parts[0], "differs from" if rule.exact else "is more than",
                      **_part_values(rule, rules))
            for index, rule in enumerate(rules)]


def _schools_cases() -> list[Case]:
    return [
        cell_case("unknown_county", "schools", "csv", 0, "county", "unknown county", county="北京市"),
        cell_case("unknown_county_gb18030", "schools", "gb18030", 2, "county", "unknown county",
                  county="广州市天河区"),
        cell_case("city_instead_of_county", "schools", "csv", 1, "county", "is the city", county=CITY),
        cell_case("unknown_level", "schools", "csv", 3, "level", "unknown value", level="university"),
        cell_case("unknown_ownership_gb18030", "schools", "gb18030", 4, "ownership", "unknown value",
                  ownership="公立学校"),
        cell_case("unknown_location_xlsx_zh", "schools", "xlsx_zh", 5, "location", "unknown value",
                  location="郊区"),
        cell_case("text_in_number_column", "schools", "csv", 6, "students", "is not a number", students="八百"),
        cell_case("text_in_number_column_parquet", "schools", "parquet", 7, "classes", "is not a number",
                  classes="twelve"),
        cell_case("negative_count_xlsx_zh", "schools", "xlsx_zh", 8, "students", "negative value",
                  students="-5", migrant_students="", disabled_students="", dropouts="",
                  students_primary="", students_junior="", students_senior="", level="primary"),
        cell_case("negative_amount_xlsx_en", "schools", "xlsx_en", 9, "teaching_area_m2", "negative value",
                  teaching_area_m2="-12.5"),
        cell_case("non_whole_count_parquet", "schools", "parquet", 10, "classes", "is not a whole number",
                  classes="12.5"),
        cell_case("fractional_year", "schools", "csv", 11, "year", "is not a whole year", year="2022.5"),
        cell_case("implausible_year_gb18030", "schools", "gb18030", 12, "year", "implausible year",
                  year="1899"),
        cell_case("bad_boolean_xlsx_en", "schools", "xlsx_en", 13, "has_resource_room",
                  "is not a yes/no value", has_resource_room="maybe"),
        cell_case("empty_required_cell", "schools", "csv", 14, "school_name", "empty cell in required column",
                  school_name=""),
        cell_case("percentage_in_count_column", "schools", "csv", 15, "teachers", "is a percentage",
                  teachers="85%"),
        Case("duplicate_school_key", "schools", "csv", _duplicate_row("schools", 0, 2), "schools.csv", 4,
             "school_id", "duplicate key"),
        Case("duplicate_school_key_xlsx_en", "schools", "xlsx_en", _duplicate_row("schools", 1, 3),
             f"{EN_BOOK}[schools]", 5, "school_id", "duplicate key"),
        Case("missing_required_column", "schools", "csv", _drop_column("schools", "ownership"), "schools.csv",
             1, None, "missing required column ownership"),
        Case("missing_required_column_xlsx_zh", "schools", "xlsx_zh", _drop_column("schools", "students"),
             f"{ZH_BOOK}[学校]", 1, None, "missing required column students"),
        Case("empty_file", "schools", "csv", _unchanged, "schools.csv", None, None, "the file is empty",
             after=_write_bytes("schools.csv", b"")),
        Case("header_only_schools", "schools", "csv", _header_only("schools"), "schools.csv", None, None,
             "no data rows"),
        Case("header_only_schools_parquet", "schools", "parquet", _header_only("schools"), "schools.parquet",
             None, None, "no data rows"),
        Case("personal_header_name", "schools", "csv",
             _add_column("schools", "姓名", lambda n: [f"张{i}" for i in range(n)]), "schools.csv", 1, "姓名",
             "personal data"),
        Case("personal_header_address_xlsx_en", "schools", "xlsx_en",
             _add_column("schools", "address", lambda n: ["清城区某路1号"] * n), f"{EN_BOOK}[schools]", 1,
             "address", "personal data"),
        cell_case("id_card_number_in_school_name", "schools", "gb18030", 16, "school_name", "ID-card numbers",
                  school_name="清城一小 440102199001011234"),
        Case("mixed_encodings", "schools", "csv", _unchanged, "schools.csv", 6, None, "mixed encodings",
             after=_mixed_encodings),
        Case("mixed_encodings_utf8_row_in_gb18030", "schools", "gb18030", _unchanged, "schools.csv", 8, None,
             "mixed encodings", after=_utf8_row_in_gb18030),
    ]


def _indicator_cases() -> list[Case]:
    return [
        cell_case("rate_as_85", "indicators", "csv", 0, "value", "looks like a percentage",
                  indicator="compulsory_dropout_rate", value="85", period="2022-05"),
        cell_case("share_as_85_gb18030", "indicators", "gb18030", 1, "value", "looks like a percentage",
                  indicator="migrant_public_share", value="85", period="2022-05"),
        cell_case("rate_above_100_percent", "indicators", "csv", 2, "value", "outside 0–1",
                  indicator="fitness_good_rate", value="120%", period="2022-05"),
        cell_case("bad_period_2022_13", "indicators", "csv", 3, "period", "bad period", period="2022-13"),
        cell_case("bad_period_xlsx_zh", "indicators", "xlsx_zh", 4, "period", "bad period", period="2022-Q5"),
        cell_case("unknown_indicator_code", "indicators", "csv", 5, "indicator", "unknown indicator code",
                  indicator="dropout_rates_compulsory"),
        cell_case("unknown_indicator_code_parquet", "indicators", "parquet", 6, "indicator",
                  "unknown indicator code", indicator="清城指标"),
        cell_case("implausible_year_xlsx_en", "indicators", "xlsx_en", 7, "year", "implausible year",
                  year="1899"),
        cell_case("negative_count_indicator", "indicators", "csv", 8, "value", "negative value",
                  indicator="backbone_trained", value="-3", period="2022-05"),
        cell_case("non_whole_count_indicator_gb18030", "indicators", "gb18030", 9, "value",
                  "is not a whole number", indicator="backbone_trained", value="12.5", period="2022-05"),
        cell_case("text_value_parquet", "indicators", "parquet", 10, "value", "is not a number", value="高"),
        cell_case("unknown_county_indicator", "indicators", "csv", 11, "county", "unknown county",
                  county="Atlantis"),
        Case("duplicate_indicator_key", "indicators", "csv", _duplicate_row("indicators", 0, 3),
             "indicators.csv", 5, "county", "duplicate key"),
        Case("missing_required_table", "indicators", "csv", _drop_table("indicators"), "indicators.csv", None,
             None, "required table indicators"),
        Case("missing_value_column_gb18030", "indicators", "gb18030", _drop_column("indicators", "value"),
             "indicators.csv", 1, None, "missing required column value"),
    ]


def _teacher_cases() -> list[Case]:
    return [
        cell_case("teacher_id_is_a_phone_number", "teachers", "parquet", 3, "teacher_id",
                  "mobile phone numbers", teacher_id="13912345678"),
        cell_case("teacher_id_is_an_id_card_csv", "teachers", "csv", 2, "teacher_id", "ID-card numbers",
                  teacher_id="44180219850101123X"),
        Case("personal_header_id_card_parquet", "teachers", "parquet",
             _add_column("teachers", "身份证号", lambda n: [""] * n), "teachers.parquet", 1, "身份证号",
             "personal data"),
        cell_case("unknown_gender", "teachers", "csv", 4, "gender", "unknown value", gender="其他"),
        cell_case("implausible_teacher_age", "teachers", "parquet", 5, "birth_year", "years old",
                  birth_year="2015"),
        cell_case("bad_teacher_boolean_xlsx_en", "teachers", "xlsx_en", 6, "is_backbone",
                  "is not a yes/no value", is_backbone="sometimes"),
        Case("duplicate_teacher_key", "teachers", "parquet", _duplicate_row("teachers", 0, 7),
             "teachers.parquet", 9, "teacher_id", "duplicate key"),
        Case("corrupt_parquet", "teachers", "parquet", _unchanged, "teachers.parquet", None, None,
             "cannot read the file", after=_write_bytes("teachers.parquet", _random_bytes(7))),
    ]


def _task_cases() -> list[Case]:
    return [
        cell_case("unknown_task_status", "tasks", "csv", 0, "status", "unknown value", status="done-ish"),
        cell_case("task_item_out_of_plan", "tasks", "gb18030", 1, "item", "does not exist", item="99"),
        cell_case("task_due_2022_13_xlsx_zh", "tasks", "xlsx_zh", 2, "due", "bad period", due="2022-13"),
        cell_case("id_card_in_task_evidence", "tasks", "csv", 3, "evidence", "ID-card numbers",
                  evidence="负责人 440102199001011234"),
        Case("personal_header_phone", "tasks", "csv", _add_column("tasks", "phone", lambda n: [""] * n),
             "tasks.csv", 1, "phone", "personal data"),
    ]


def _override_cases() -> list[Case]:
    return [
        cell_case("unknown_target_id", "targets_override", "csv", 0, "target_id", "unknown target id",
                  target_id="t99_no_such_target"),
        cell_case("unknown_comparator_xlsx_en", "targets_override", "xlsx_en", 1, "comparator",
                  "unknown value", comparator="≈"),
        cell_case("text_threshold_parquet", "targets_override", "parquet", 2, "threshold",
                  "is not a number", threshold="很多"),
    ]


def _survey_cases() -> list[Case]:
    return [
        cell_case("survey_satisfied_more_than_respondents", "survey", "csv", 0, "satisfied", "is more than",
                  satisfied="100000"),
        cell_case("survey_unknown_group_xlsx_zh", "survey", "xlsx_zh", 1, "respondent_group", "unknown value",
                  respondent_group="外星人"),
        cell_case("flag_value_2_in_indicators", "indicators", "gb18030", 0, "value", "not a yes/no answer",
                  indicator="school_layout_planned", value="2", period=""),
    ]


def _county_cases() -> list[Case]:
    return [
        Case("counties_missing_name_zh", "counties", "csv",
             _with_counties(lambda f: f.drop(columns="name_zh")), "counties.csv", 1, None,
             "missing required column name_zh"),
        Case("counties_bad_code", "counties", "csv",
             _with_counties(lambda f: f.assign(county_code=f["county_code"].where(f.index != 2, "44180"))),
             "counties.csv", 4, "county_code", "not a county code"),
        Case("counties_missing_name_en_gb18030", "counties", "gb18030",
             _with_counties(lambda f: f.drop(columns="name_en")), "counties.csv", 1, None,
             "missing required column name_en"),
    ]


def _folder_cases() -> list[Case]:
    return [
        Case("corrupt_xlsx", "folder", "xlsx_en", _unchanged, "book.xlsx", None, None,
             "cannot read the workbook", after=_write_bytes("book.xlsx", _random_bytes(11))),
        Case("two_workbooks", "folder", "xlsx_zh", _unchanged, "{folder}", None, None,
             "expected at most one .xlsx per folder", after=_two_workbooks),
        Case("old_xls_file", "folder", "csv", _unchanged, "schools_2021.xls", None, None,
             "old binary Excel file",
             after=_write_bytes("schools_2021.xls", OLE_MAGIC + _random_bytes(3, 64))),
    ]


CASES: tuple[Case, ...] = tuple(
    _schools_cases() + _part_cases() + _indicator_cases() + _teacher_cases() + _task_cases()
    + _override_cases() + _survey_cases() + _county_cases() + _folder_cases())
CORPUS_SIZE = len(CASES)
"""How many distinct broken inputs the corpus holds (quoted by the README)."""


def formats_for(case: Case) -> dict[str, str]:
    """Formats of the written tables: the case's format for the table it breaks."""
    if case.table in TABLES:
        return {case.table: case.fmt}
    return {}


def write_base(folder: Path, tables: Tables | None = None) -> Path:
    """Write the valid base dataset (CSV, the roster as Parquet)."""
    write_tables(folder, base_tables() if tables is None else tables, {})
    return folder


def build(case: Case, folder: Path, base: Tables | None = None) -> Path:
    """Write the broken folder of ``case`` into ``folder`` (created) from a copy of the base tables."""
    tables = {name: frame.copy() for name, frame in (base or base_tables()).items()}
    case.change(tables)
    write_tables(folder, tables, formats_for(case))
    if case.after is not None:
        case.after(folder)
    return folder


def expected_file(case: Case, folder: Path) -> str:
    """The expected file label, with ``{folder}`` resolved."""
    return case.file.replace("{folder}", folder.name)


def expected_prefix(case: Case, folder: Path) -> str:
    """``FILE:ROW:COLUMN:`` as ``qyanalysis validate`` prints it."""
    row = "" if case.row is None else str(case.row)
    column = "" if case.column is None else case.column
    return f"{expected_file(case, folder)}:{row}:{column}:"


def folder_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (relative path → digest), to prove inputs are untouched."""
    import hashlib

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_tree(source: Path, target: Path) -> Path:
    """A copy of a folder (used by tests that must not change the original)."""
    shutil.copytree(source, target)
    return target


__all__ = ["CASES", "CORPUS_SIZE", "Case", "FORMATS", "base_tables", "build", "counties_table",
           "expected_prefix", "folder_digest", "write_base", "copy_tree"]
