"""Reading the bureau's own census: the national school statistics forms (基础基 / 教基) in, ``schools`` out.

``read_census(source)`` reads a folder or zip of per-school workbooks (one sheet
per form, 表号 in the sheet name or the title cells) or a school-per-row query
export, and returns a :class:`Census`: the contract's ``schools`` columns, a
``teachers_summary`` (counts by stage and qualification), a ``provenance``
row for every figure read, and the problems found (``FILE:SHEET:CELL: what,
expected``).

Nothing is addressed by Excel coordinates: a form is found by its 表号, its
columns by the column-number row (甲 | 乙 | 1 | 2 …), its rows by their code
(or label), and the cell that feeds each field comes from the mapping file
(``census_mapping.csv``, extended or overridden by a bureau's own file). The
derivation rules are stated in words on the methods page; :func:`mapping_markdown` lists the cells.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import SCHOOLS
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.errors import ValidationIssue
from qyanalysis.io import census_forms as cf
from qyanalysis.io.census_cells import (
    TEXT_FIELDS,
    CensusIssue,
    School,
    cell_name,
    issue,
    parse_number,
    xlsx_sheets,
)
from qyanalysis.io.text import fold, short

MAPPING_FILE = Path(__file__).with_name("census_mapping.csv")
MAPPING_COLUMNS = ("generation", "form", "stage", "row", "column", "field", "factor", "unit", "certainty", "source")
PROVENANCE_COLUMNS = ("school_id", "year", "field", "stage", "file", "sheet", "form", "row_code", "column",
                      "cell", "raw", "value")
SUMMARY_COLUMNS = ("school_id", "year", "stage", "qualification", "teachers")
TITLE_ROWS = 6          # rows searched for the 表号 and the school year
NUMBER_ROW_SEARCH = 15  # rows searched for the column-number row (甲 | 乙 | 1 | 2 …)


@dataclass
class Census:
    """What :func:`read_census` read.

    Attributes:
        schools: The contract's ``schools`` columns, one row per school × year
            (empty cells where the forms hold nothing).
        teachers_summary: Full-time teachers by school, year, stage and qualification
            (the forms give counts, not a roster).
        provenance: One row per figure read: school, field, file, sheet, 表号, row code,
            column number (or header path), cell, raw text, value in the contract's unit.
        problems: Errors and warnings (:class:`CensusIssue`).
    """

    schools: pd.DataFrame
    teachers_summary: pd.DataFrame
    provenance: pd.DataFrame
    problems: list[ValidationIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ValidationIssue]:
        """The problems that make the census unusable."""
        return [p for p in self.problems if p.severity == "error"]


# ---------------------------------------------------------------------------------------------- mapping


def load_mapping(extra: str | Path | None = None) -> pd.DataFrame:
    """The shipped mapping, with a bureau's own rows added or overriding (``--mapping FILE``).

    A bureau row replaces the shipped rows of the same (generation, form, stage, field)
    — or (generation, field, column) for school-per-row exports; a row whose ``field``
    is empty only declares a further 表号 as known.
    """
    mapping = pd.read_csv(MAPPING_FILE, dtype=str, keep_default_na=False)
    if extra is not None:
        own = pd.read_csv(extra, dtype=str, keep_default_na=False)
        missing = [c for c in ("generation", "form", "row", "column", "field") if c not in own.columns]
        if missing:
            raise ValueError(f"{Path(extra).name}: missing columns {', '.join(missing)}; "
                             f"expected {', '.join(MAPPING_COLUMNS)}")
        own = own.reindex(columns=MAPPING_COLUMNS, fill_value="")
        own["stage"] = own["stage"].replace("", "school")
        own["factor"] = own["factor"].replace("", "1")
        keys = set(zip(own["generation"], own["form"], own["stage"], own["field"]))
        replaced = [k in keys for k in zip(mapping["generation"], mapping["form"], mapping["stage"], mapping["field"])]
        mapping = pd.concat([mapping[~np.array(replaced, dtype=bool)], own], ignore_index=True)
    mapping["factor"] = mapping["factor"].astype(float)
    return mapping


def known_forms(mapping: pd.DataFrame) -> dict[str, set[str]]:
    """Every 表号 (without prefix) known per generation: the catalogue plus the mapping's forms."""
    known = {gen: set(numbers) for gen, numbers in cf.CATALOGUE.items()}
    for form in mapping["form"]:
        parsed = cf.split_form_number(form)
        if parsed:
            known[parsed[0]].add(parsed[1])
    return known


# ---------------------------------------------------------------------------------------------- cells


def _row_key(text: str) -> str:
    """Row codes '1', '01', '1.0' → '01'; anything else folded."""
    folded = fold(text)
    if re.fullmatch(r"\d+(?:\.0)?", folded):
        return f"{int(float(folded)):02d}"
    return folded


@dataclass
class Grid:
    """One form as located: the column-number row, the code column, the rows by code and label."""

    file: str
    sheet: str
    form: str
    cells: list[list[str]]
    columns: dict[str, int]          # column number ("1") → grid column
    rows: dict[str, int]             # row code / folded label → grid row


def locate(file: str, sheet: str, form: str, cells: list[list[str]]) -> Grid | CensusIssue:
    """Find the column-number row (甲 | 乙 | 1 | 2 …) and key the data rows by code and label.

    The row code sits under 乙, the label under 甲; a letter row above and a row-number
    column to the left (2018 exports) are thereby skipped.
    """
    for r, row in enumerate(cells[:NUMBER_ROW_SEARCH]):
        folded = [fold(c) for c in row]
        if "乙" not in folded:
            continue
        code_col = folded.index("乙")
        label_col = folded.index("甲") if "甲" in folded else code_col - 1
        columns = {}
        for c in range(code_col + 1, len(folded)):
            key = _row_key(folded[c])
            if key.isdigit():
                columns[str(int(key))] = c
        keyed: dict[str, int] = {}
        for rr in range(r + 1, len(cells)):
            line = cells[rr]
            code = _row_key(line[code_col]) if code_col < len(line) else ""
            label = fold(line[label_col]).lstrip("#") if 0 <= label_col < len(line) else ""
            for key in (code, label, label.removeprefix("其中:")):
                if key:
                    keyed.setdefault(key, rr)
        return Grid(file, sheet, form, cells, columns, keyed)
    return issue(file, sheet, "", f"no column-number row (甲 | 乙 | 1 | 2 …) in the first {NUMBER_ROW_SEARCH} "
                                  f"rows of {form}; expected the form as exported")


# ---------------------------------------------------------------------------------------------- workbooks


@dataclass
class Book:
    """One per-school workbook as read: its forms (by 表号) and what was found about it."""

    file: str
    folder: str
    generation: str | None = None
    year: int | None = None
    grids: dict[str, Grid] = field(default_factory=dict)
    problems: list[CensusIssue] = field(default_factory=list)


def _sheet_form(file: str, name: str, head: list[list[str]], known: dict[str, set[str]]
                ) -> tuple[tuple[str, str] | None, CensusIssue | None]:
    """The (generation, number) of a sheet from its name and title cells; a problem when they disagree."""
    by_name = cf.split_form_number(name)
    by_title, where = None, ""
    for r, row in enumerate(head):
        for c, text in enumerate(row):
            if "表号" in text or cf.FORM_NUMBER.search(text.replace(" ", "")):
                found = cf.split_form_number(text)
                if found:
                    by_title, where = found, cell_name(r, c)
                    break
                other = cf.OTHER_FORM_NUMBER.search(text)
                if other and by_name is None:
                    return None, issue(file, name, cell_name(r, c),
                                       f"unknown form generation in 表号 '{short(other.group(1))}'; "
                                       "expected 基础基NNN (up to 2020) or 教基NNNN (from 2021)")
        if by_title:
            break
    if by_name and by_title and by_name != by_title:
        return None, issue(file, name, where, f"the title says {cf.PREFIX[by_title[0]]}{by_title[1]} but the "
                                              f"sheet is named for {cf.PREFIX[by_name[0]]}{by_name[1]}; "
                                              "expected the same 表号")
    found = by_title or by_name
    if found and found[1] not in known[found[0]]:
        return None, issue(file, name, where, f"unknown 表号 {cf.PREFIX[found[0]]}{found[1]}; expected one of "
                                              f"the {cf.PREFIX[found[0]]} forms (or a row in --mapping)")
    return found, None


def read_book(file: str, folder: str, data: bytes, mapping_forms: set[str], known: dict[str, set[str]]) -> Book:
    """Read one per-school workbook: every sheet's 表号, the year, and the mapped forms located."""
    book = Book(file, folder)
    try:
        sheets = xlsx_sheets(data)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a data problem
        book.problems.append(issue(file, "", "", f"cannot read the workbook ({type(exc).__name__}); expected .xlsx"))
        return book
    generations = set()
    for title, rows in sheets:
        head = rows[:TITLE_ROWS]
        if _is_school_rows(title, rows):
            continue
        if book.year is None:
            book.year = _school_year(head)
        found, problem = _sheet_form(file, title, head, known)
        if problem:
            book.problems.append(problem)
        if not found:
            continue
        generations.add(found[0])
        code = cf.PREFIX[found[0]] + found[1]
        if code in mapping_forms and code not in book.grids:
            grid = locate(file, title, code, rows)
            if isinstance(grid, CensusIssue):
                book.problems.append(grid)
            else:
                book.grids[code] = grid
    if len(generations) > 1:
        book.problems.append(issue(file, "", "", "the workbook mixes 基础基 and 教基 forms; expected one "
                                                 "generation per census year"))
    book.generation = min(generations) if generations else None
    return book


def _is_school_rows(title: str, rows: list[list[str]]) -> bool:
    """True for a school-per-row export sheet: no 表号 in its name or title, a 学校名称 header cell."""
    if cf.split_form_number(title) or any("表号" in text for row in rows[:TITLE_ROWS] for text in row):
        return False
    return any(fold(text) == "学校名称" for row in rows[:20] for text in row)


def _school_year(head: list[list[str]]) -> int | None:
    """The census (autumn) year from a '2021/2022学年' text in the title rows."""
    for row in head:
        for text in row:
            match = cf.SCHOOL_YEAR.search(text)
            if match:
                return int(match.group(1))
    return None


def _members(source: Path) -> list[tuple[str, str, bytes]]:
    """(file label, folder name, bytes) of every workbook in a folder (recursively), a zip or one file."""
    if source.is_file() and source.suffix.lower() == ".zip":
        out = []
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                name = PurePosixPath(info.filename)
                if name.suffix.lower() in (".xlsx", ".xlsm") and not name.name.startswith(("~$", ".")):
                    out.append((str(name), name.parent.name or source.stem, archive.read(info)))
        return sorted(out)
    if source.is_file():
        return [(source.name, source.parent.name, source.read_bytes())]
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: no such folder, zip or workbook")
    files = sorted(p for p in source.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm")
                   and not p.name.startswith(("~$", ".")))
    return [(str(p.relative_to(source)), p.parent.name, p.read_bytes()) for p in files]


# ---------------------------------------------------------------------------------------------- values


def _read_cell(grid: Grid, row_key: str, column: str, row: dict, school: School,
               problems: list[CensusIssue]) -> None:
    r = grid.rows.get(_row_key(row_key).lstrip("#"))
    c = grid.columns.get(str(column))
    if r is None or c is None:
        return  # a row or column this export does not print: an empty cell
    raw = grid.cells[r][c] if c < len(grid.cells[r]) else ""
    record = {"file": grid.file, "sheet": grid.sheet, "form": grid.form, "row_code": row_key,
              "column": str(column), "cell": cell_name(r, c), "raw": raw}
    if row["field"] in TEXT_FIELDS:
        value: object = raw
    else:
        number = parse_number(raw)
        if number is None:
            problems.append(issue(grid.file, grid.sheet, record["cell"],
                                  f"'{short(raw)}' is not a number; expected a number, empty or * ({row['field']})"))
            return
        value = number * row["factor"]
    school.add(row["field"], row["stage"], value, record)


def entries_by_generation(mapping: pd.DataFrame) -> dict[str, dict[str, list[dict]]]:
    """The mapping rows as plain dicts, by generation and 表号 (read once per import)."""
    grouped: dict[str, dict[str, list[dict]]] = {}
    for row in mapping.to_dict("records"):
        grouped.setdefault(row["generation"], {}).setdefault(row["form"], []).append(row)
    return grouped


def school_from_book(book: Book, entries: dict[str, dict[str, list[dict]]]) -> tuple[School, list[CensusIssue]]:
    """Every mapped cell of one workbook."""
    school = School(book.file, book.year, book.generation or "")
    problems: list[CensusIssue] = []
    for form, rows in entries.get(school.generation, {}).items():
        grid = book.grids.get(form)
        if grid is None:
            continue
        for row in rows:
            _read_cell(grid, row["row"], row["column"], row, school, problems)
    return school, problems


# ---------------------------------------------------------------------------------------------- rules


def _required_forms(mapping: pd.DataFrame, generation: str, stages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(stage, 表号) of the students form of every stage of a school: without it a school has no pupils."""
    rows = mapping[(mapping["generation"] == generation) & (mapping["field"] == "students_stage")]
    return [(stage, rows.loc[rows["stage"] == stage, "form"].iloc[0]) for stage in stages
            if (rows["stage"] == stage).any()]


def _identity(school: School, total: str, parts: str | tuple[str, ...], stage: str, what: str,
              problems: list[CensusIssue]) -> None:
    """Check total = sum of parts (when any part is filled); the problem names the total's cell."""
    names = (parts,) if isinstance(parts, str) else parts
    values = [school.total(p, stage) for p in names]
    filled = [v for v in values if not np.isnan(v)]
    whole = school.total(total, stage)
    if not filled or np.isnan(whole) or abs(sum(filled) - whole) < 1e-6:
        return
    at = school.where(total, stage)
    problems.append(issue(at.get("file", school.file), at.get("sheet", ""), at.get("cell", ""),
                          f"{cf.STAGE_ZH.get(stage, stage)} {what}: total {whole:g} but the parts sum to "
                          f"{sum(filled):g}; expected total = sum of {what}"))


QUAL_FIELDS = tuple(f"qualification_{q}" for q in cf.QUALIFICATION_ORDER)
BAND_FIELDS = tuple(f"band_{lo}" for lo, _ in cf.BANDS)


def derive(school: School, level: str) -> tuple[dict, list[dict], list[CensusIssue]]:
    """The contract's school figures from the mapped cells, by the rules the methods page states.

    Returns:
        (figures by contract column, teachers_summary rows, identity problems).
    """
    problems: list[CensusIssue] = []
    stages = cf.STAGES_OF_LEVEL[level]
    present = [s for s in stages if not np.isnan(school.total("students_stage", s))]
    for stage in stages:
        _identity(school, "students_stage", "grade", stage, "pupils of the grades", problems)
        _identity(school, "classes_stage", BAND_FIELDS, stage, "classes of the class-size bands", problems)
        _identity(school, "qualification_total", QUAL_FIELDS, stage, "teachers by qualification", problems)
    out: dict[str, float] = {}
    direct = ("teachers", "backbone_teachers", "pe_arts_teachers", "temporary_teachers", "teaching_area_m2",
              "sports_area_m2", "equipment_value_yuan", "multimedia_rooms", "computers", "library_books",
              "teachers_senior_title", "staff", "migrant_students", "students", "classes")
    for name in direct:
        out[name] = school.total(name)
    stage_students = {s: school.total("students_stage", s) for s in stages}
    if np.isnan(out["students"]):
        out["students"] = school.total("students_stage")
    if len(present) > 1:
        for s in present:
            out[f"students_{s}"] = stage_students[s]
    if np.isnan(out["classes"]):
        out["classes"] = school.total("classes_stage")
    over = [school.total(f"band_{lo}", s) for s, limit in cf.CLASS_LIMIT.items() if s in stages
            for lo, _ in cf.BANDS if lo > limit]
    bands_given = any(not np.isnan(school.total(b, s)) for s in stages for b in BAND_FIELDS)
    out["classes_over_limit"] = float(np.nansum(over)) if bands_given and any(s in cf.CLASS_LIMIT for s in stages) \
        else float("nan")
    above, summary = [], []
    for stage in (*stages, "school"):
        rule_stage = stages[-1] if stage == "school" and stages else stage
        first = cf.QUALIFICATION_ORDER.index(cf.ABOVE_REQUIRED_FROM.get(rule_stage, "associate"))
        for q in cf.QUALIFICATION_ORDER:
            value = school.total(f"qualification_{q}", stage)
            if np.isnan(value):
                continue
            summary.append({"stage": stage, "qualification": q, "teachers": value})
            if cf.QUALIFICATION_ORDER.index(q) >= first:
                above.append(value)
    out["teachers_above_required_qualification"] = float(sum(above)) if summary else float("nan")
    if np.isnan(out["teachers"]):
        out["teachers"] = school.total("qualification_total")
    return out, summary, problems


def _codes(school: School, registry: CountyRegistry, folder: str) -> tuple[dict, list[CensusIssue]]:
    """Level, ownership, location, teaching point and county from the code lists (census_forms)."""
    problems: list[CensusIssue] = []

    def where(name: str) -> tuple[str, str, str]:
        rec = next((r for (f, _), items in school.values.items() if f == name for _, r in items), {})
        return rec.get("file", school.file), rec.get("sheet", ""), rec.get("cell", "")

    out: dict[str, object] = {}
    type_text = school.text("type_code")
    type_code = _code_of(type_text, cf.TYPE_NAME)
    level = cf.LEVEL_OF_TYPE.get(type_code or "")
    if level is None:
        problems.append(issue(*where("type_code"), f"办学类型 '{short(type_text)}' is not a known code; expected a "
                                                   "GB/T 33782 code such as 111, 211, 218, 311, 312, 341, 342, 345"))
    out["level"] = level
    counted = fold(school.text("counted"))
    out["is_teaching_point"] = type_code in cf.TEACHING_POINT_TYPES or counted in ("0", "否", "0.0")
    organiser = _code_of(school.text("organiser_code"), cf.ORGANISER_NAME) or ""
    inclusive = fold(school.text("inclusive_private")) in ("是", "1", "true", "yes")
    if not re.fullmatch(r"\d{3}", organiser):
        problems.append(issue(*where("organiser_code"), f"举办者 '{short(school.text('organiser_code'))}' is not a "
                                                        "code; expected 999 (民办) or a public code such as 831"))
        out["ownership"] = None
    elif organiser == cf.PRIVATE_ORGANISER:
        out["ownership"] = "private_inclusive" if inclusive else "private"
    else:
        out["ownership"] = "public"
    location = _code_of(school.text("location_code"), cf.LOCATION_NAME) or ""
    out["location"] = {"1": "urban", "2": "rural"}.get(location[:1]) if location[:2] != "12" else "town"
    address = re.sub(r"\D", "", school.text("address_code"))
    county = None
    for candidate in (address[:6] if len(address) >= 6 else "", school.text("county"), folder):
        county = registry.normalise(candidate) if candidate else None
        if county:
            break
    if county is None:
        problems.append(issue(*where("address_code"), f"no county: address code '{short(address)}', county "
                                                      f"'{short(school.text('county'))}' and folder '{short(folder)}' "
                                                      "name no county of the registry; expected a 12-digit address "
                                                      "code whose first six digits are a county code"))
    out["county"] = county
    return out, problems


def _code_of(text: str, names: dict[str, str]) -> str | None:
    """A 3-digit code from a cell that holds the code, a name, or 'name (code)'."""
    digits = re.findall(r"\d{3}", text)
    if digits:
        return digits[-1]
    folded = fold(text)
    return next((code for code, name in names.items() if fold(name) == folded), None)


# ---------------------------------------------------------------------------------------------- assemble


def _assemble(schools: list[tuple[School, str]], registry: CountyRegistry, mapping: pd.DataFrame,
              problems: list[ValidationIssue]) -> Census:
    rows, summaries, provenance = [], [], []
    # a file with a problem already reported is not checked further (no missing form, no identity
    # that the bad or dropped cell broke)
    reported = {p.file for p in problems if p.severity == "error"}
    for school, folder in schools:
        codes, code_problems = _codes(school, registry, folder)
        problems += code_problems
        level = codes["level"]
        if level is None:
            continue
        checked = school.file not in reported
        if checked and school.generation in cf.GENERATIONS and not school.values.get(("students", "school")):
            for stage, form in _required_forms(mapping, school.generation, cf.STAGES_OF_LEVEL[level]):
                if not any(r.get("form") == form for items in school.values.values() for _, r in items):
                    problems.append(issue(school.file, form, "", f"required form {form} "
                                          f"({cf.STAGE_ZH[stage]}学生数) is missing for a school of type {level}; "
                                          f"expected a sheet named {form} or with {form} in its title"))
        figures, summary, identity = derive(school, level)
        problems += identity if checked else []
        record = {"school_id": school.text("school_id"), "school_name": school.text("school_name"),
                  "year": school.year, **codes, **figures}
        rows.append(record)
        summaries += [{"school_id": record["school_id"], "year": school.year, **s} for s in summary]
        for (name, stage), items in school.values.items():
            provenance += [{"school_id": record["school_id"], "year": school.year, "field": name, "stage": stage,
                            **rec, "value": value} for value, rec in items]
    schools_frame = pd.DataFrame(rows).reindex(columns=[c.name for c in SCHOOLS.columns])
    if len(schools_frame):
        duplicated = schools_frame.duplicated(["school_id", "year"], keep="first")
        for pos in np.flatnonzero(duplicated.to_numpy()):
            problems.append(issue(schools[pos][0].file, "", "", f"school {schools_frame['school_id'].iloc[pos]} "
                                  f"of {schools_frame['year'].iloc[pos]} is given twice; expected one workbook "
                                  "per school and year"))
    return Census(schools_frame, pd.DataFrame(summaries, columns=list(SUMMARY_COLUMNS)),
                  pd.DataFrame(provenance, columns=list(PROVENANCE_COLUMNS)), problems)


def _check_generations(books: list[Book], problems: list[ValidationIssue]) -> None:
    """One generation per census year, and the generation the year asks for (教基 from 2021)."""
    by_year: dict[int, dict[str, str]] = {}
    for book in books:
        if book.year is None or book.generation is None:
            continue
        by_year.setdefault(book.year, {}).setdefault(book.generation, book.file)
        expected = cf.generation_of_year(book.year)
        if book.generation != expected:
            problems.append(issue(book.file, "", "", f"{cf.PREFIX[book.generation]} forms in census year "
                                  f"{book.year}; expected {cf.PREFIX[expected]} forms for that year"))
    for year, gens in by_year.items():
        if len(gens) > 1:
            files = ", ".join(f"{cf.PREFIX[g]} in {f}" for g, f in sorted(gens.items()))
            problems.append(issue(sorted(gens.values())[-1], "", "", f"census year {year} mixes form generations "
                                  f"({files}); expected one generation per year"))


def read_census(source: str | Path, *, mapping: str | Path | None = None, year: int | None = None,
                registry: CountyRegistry | None = None) -> Census:
    """Read the bureau's census exports into the contract's ``schools`` table.

    Args:
        source: A folder (searched recursively) or zip of per-school workbooks, or one
            workbook (a school-per-row export, or a single school's workbook).
        mapping: A bureau's own mapping CSV (columns of ``census_mapping.csv``) that
            adds rows or overrides the shipped ones.
        year: The census (autumn) year where the workbooks do not state their school year.
        registry: The county registry the counties are checked against (default: built-in).

    Returns:
        A :class:`Census`; read ``.errors`` before using ``.schools``.
    """
    source = Path(source)
    registry = registry or CountyRegistry.builtin()
    table = load_mapping(mapping)
    known = known_forms(table)
    mapping_forms = set(table["form"])
    entries = entries_by_generation(table)
    problems: list[ValidationIssue] = []
    books, schools = [], []
    for file, folder, data in _members(source):
        book = read_book(file, folder, data, mapping_forms, known)
        if not book.grids and not book.problems:
            from qyanalysis.io.census_rows import read_school_rows

            rows_census = read_school_rows(file, folder, data, table, year, registry)
            problems += rows_census[1]
            schools += rows_census[0]
            continue
        if book.year is None:
            book.year = year
        if book.year is None:
            problems.append(issue(file, "", "", "no school year found (a '2021/2022学年' text in a title or the "
                                                "cover); expected one, or --year"))
        books.append(book)
        problems += book.problems
        school, cell_problems = school_from_book(book, entries)
        problems += cell_problems
        schools.append((school, folder))
    if not books and not schools:
        problems.append(issue(source.name, "", "", "no census workbook found; expected .xlsx files of the "
                                                   "statistics system (or a zip of them)"))
    _check_generations(books, problems)
    return _assemble(schools, registry, table, problems)


# ---------------------------------------------------------------------------------------------- data folder

def _schools_csv(schools: pd.DataFrame) -> pd.DataFrame:
    """The schools table as the data folder stores it: county codes, years as integers, true/false."""
    frame = schools.copy()
    frame["year"] = frame["year"].astype("int64")
    frame["is_teaching_point"] = frame["is_teaching_point"].map({True: "true", False: "false"})
    return frame


def fields_held(mapping: pd.DataFrame, year: int) -> set[str]:
    """The ``schools`` fields the forms of census ``year`` feed: the mapping's fields of its generation."""
    rows = mapping[mapping["generation"] == cf.generation_of_year(int(year))]
    return set(rows["field"]) - {""}


def supplement(census: Census, other: pd.DataFrame, mapping: pd.DataFrame, source: str) -> Census:
    """The census with the ``schools`` fields its forms do not hold taken from another data folder's
    ``schools`` table (``other``, matched on school_id and year; a school it lacks stays empty).

    A field is taken only where the forms of that census year hold no such field (:func:`fields_held`)
    and the census has no value of it that year: a figure read from the forms is never replaced. Each
    value taken gets a provenance row naming ``source`` (file ``source``, cell = the field).
    """
    schools = census.schools.copy()
    other = other.assign(school_id=other["school_id"].astype(str), year=other["year"].astype("int64"))
    other = other.drop_duplicates(["school_id", "year"]).set_index(["school_id", "year"])
    taken = []
    for year in sorted(schools["year"].dropna().astype("int64").unique()):
        rows = (schools["year"].astype("int64") == year).to_numpy()
        keys = pd.MultiIndex.from_arrays([schools.loc[rows, "school_id"].astype(str), np.full(rows.sum(), year)])
        held = fields_held(mapping, year)
        for column in schools.columns:
            if column in held or column not in other.columns or schools.loc[rows, column].notna().any():
                continue
            values = other[column].reindex(keys).to_numpy()
            if pd.isna(values).all():
                continue
            schools[column] = schools[column].astype(object)
            schools.loc[rows, column] = values
            found = ~pd.isna(values)
            taken.append(pd.DataFrame({"school_id": keys.get_level_values(0)[found], "year": year, "field": column,
                                       "stage": "school", "file": source, "sheet": "", "form": "", "row_code": "",
                                       "column": column, "cell": "", "raw": values[found].astype(str),
                                       "value": values[found]}))
    schools = schools.infer_objects()
    provenance = pd.concat([census.provenance, *taken], ignore_index=True) if taken else census.provenance
    return Census(schools, census.teachers_summary, provenance, census.problems)


def import_census(source: str | Path, out: str | Path, *, mapping: str | Path | None = None,
                  year: int | None = None, with_dir: str | Path | None = None) -> tuple[Census, list[Path]]:
    """Read a census export and write a data folder that ``validate`` and ``run`` accept.

    Writes ``schools.csv``, ``provenance.csv`` and ``teachers_summary.csv``; the other
    tables (indicators, tasks, …) are copied from ``with_dir`` when given, else
    ``indicators.csv`` is written with its header only. When ``with_dir`` has a
    ``schools`` table, the fields the forms do not hold (fitness, myopia, dropouts,
    music and art rooms …) are taken from it (:func:`supplement`). The folder is assembled
    aside and checked with :func:`~qyanalysis.io.load.load_dataset` first: on any
    problem nothing is written and :class:`~qyanalysis.errors.DataValidationError`
    is raised.
    """
    import shutil
    import tempfile

    from qyanalysis.contract.columns import INDICATORS
    from qyanalysis.errors import DataValidationError
    from qyanalysis.io.headers import table_for_name
    from qyanalysis.io.load import load_dataset

    registry, copies, other = None, [], None
    if with_dir is not None:
        with_dir = Path(with_dir)
        other = load_dataset(with_dir)
        registry = other.counties
        copies = [p for p in sorted(with_dir.iterdir()) if p.is_file() and table_for_name(p.stem) is not None
                  and table_for_name(p.stem).name != "schools"]
    census = read_census(source, mapping=mapping, year=year, registry=registry)
    if census.errors:
        raise DataValidationError(census.errors)
    if other is not None and other.schools is not None and len(other.schools):
        census = supplement(census, other.schools, load_mapping(mapping), f"{with_dir.name}/schools (--with)")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".census-", dir=out.parent))
    try:
        _schools_csv(census.schools).to_csv(scratch / "schools.csv", index=False, lineterminator="\n")
        census.provenance.to_csv(scratch / "provenance.csv", index=False, lineterminator="\n")
        census.teachers_summary.to_csv(scratch / "teachers_summary.csv", index=False, lineterminator="\n")
        for path in copies:
            shutil.copyfile(path, scratch / path.name)
        if not any(table_for_name(p.stem) is INDICATORS for p in copies):
            (scratch / "indicators.csv").write_text(",".join(c.name for c in INDICATORS.columns) + "\n",
                                                     encoding="utf-8")
        load_dataset(scratch)  # raises DataValidationError: nothing is written then
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for path in sorted(scratch.iterdir()):
            path.replace(out / path.name)
            written.append(out / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return census, written


def mapping_markdown() -> str:
    """The census mapping as a Markdown section: which form, row and column feeds each field.

    Generated from the shipped mapping (``census_mapping.csv``) for ``docs/methods-developers.md``; the
    derivation rules in words are on the methods page (``present/templates/methods/rules.*.md``).
    """
    mapping = load_mapping()
    lines = ["## The census mapping (`qyanalysis/io/census_mapping.csv`)", "",
             "`qyanalysis import-census` finds a form by its 表号 and a cell by row code × column number; "
             "this file (extended by `--mapping`) says which cell feeds which field of the `schools` table "
             "and how sure each fact is. `derive` in `qyanalysis/io/census.py` applies the rules the methods "
             "page states in words (\"From the statistics system\").", "",
             "| generation | form | row | column | field | unit | certainty |",
             "|---|---|---|---|---|---|---|"]
    for row in mapping.to_dict("records"):
        if row["field"] in TEXT_FIELDS and row["generation"] != "export":
            continue
        stage = "" if row["stage"] == "school" else f" ({row['stage']})"
        lines.append(f"| {row['generation']} | {row['form'] or '—'} | {row['row'] or '—'} | {row['column']} | "
                     f"`{row['field']}`{stage} | {row['unit']} | {row['certainty']} |")
    return "\n".join(lines) + "\n"
