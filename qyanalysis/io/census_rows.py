"""School-per-row census exports (学校基础数据 / 综合查询): one sheet, a multi-row merged header.

Each column is addressed by its header path (教基1102 → 县级以上骨干教师(小学)), the
folded texts of its header levels from top to bottom, merged group cells spread over
the columns below them. The mapping rows of generation ``export`` name the paths.
"""

from __future__ import annotations

import re

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.io import census_forms as cf
from qyanalysis.io.census_cells import TEXT_FIELDS, School, parse_number, xlsx_sheets
from qyanalysis.io.census_cells import CensusIssue, cell_name, issue  # a problem and where it is
from qyanalysis.io.text import fold, short

HEADER_START_WORD = "学校名称"
SCHOOL_ID = re.compile(r"^\d{10}$")


def header_paths(header: list[list[str]]) -> list[tuple[str, ...]]:
    """The folded header path of every column.

    An empty cell of an upper level belongs to the merged group on its left when the
    column has text further down (a group spans columns); a column whose lower cells
    are empty is a vertically merged leaf and keeps its one text.
    """
    width = max((len(r) for r in header), default=0)
    grid = [[fold(r[c]) if c < len(r) else "" for c in range(width)] for r in header]
    for level in range(len(grid) - 1):
        for c in range(1, width):
            below = any(grid[k][c] for k in range(level + 1, len(grid)))
            left_below = any(grid[k][c - 1] for k in range(level + 1, len(grid)))
            if not grid[level][c] and below and left_below:
                grid[level][c] = grid[level][c - 1]
    return [tuple(grid[k][c] for k in range(len(grid)) if grid[k][c]) for c in range(width)]


def _split_header(rows: list[list[str]]) -> tuple[int, int] | None:
    """(first header row, first data row): the header starts at 学校名称; data at the first school id."""
    start = next((r for r, row in enumerate(rows[:20]) if any(fold(c) == HEADER_START_WORD for c in row)), None)
    if start is None:
        return None
    for r in range(start + 1, len(rows)):
        if any(SCHOOL_ID.match(fold(c)) for c in rows[r]):
            return start, r
    return start, len(rows)


def read_school_rows(file: str, folder: str, data: bytes, mapping, year: int | None,
                     registry: CountyRegistry) -> tuple[list[tuple[School, str]], list[CensusIssue]]:
    """Read a school-per-row export: one :class:`School` per data row."""
    name, rows = xlsx_sheets(data)[0]
    split = _split_header(rows)
    if split is None:
        return [], [issue(file, name, "", "neither a 表号 nor a 学校名称 header found; expected a per-school "
                                          "workbook of the statistics system or a school-per-row export")]
    start, first = split
    for row in rows[:start]:
        for text in row:
            match = cf.SCHOOL_YEAR.search(text)
            if match and year is None:
                year = int(match.group(1))
    problems: list[CensusIssue] = []
    if year is None:
        problems.append(issue(file, name, "", "no school year found above the header; expected a "
                                              "'2021/2022学年' title, or --year"))
    paths = header_paths(rows[start:first])
    wanted = mapping[mapping["generation"] == "export"]
    columns = []
    for _, entry in wanted.iterrows():
        path = tuple(fold(p) for p in entry["column"].split(">"))
        hits = [c for c, p in enumerate(paths) if p == path]
        if hits:
            columns.append((hits[0], entry))
    schools = []
    for r in range(first, len(rows)):
        line = rows[r]
        if not any(c.strip() for c in line):
            continue
        school = School(file, year, "export")
        for c, entry in columns:
            raw = line[c] if c < len(line) else ""
            record = {"file": file, "sheet": name, "form": "", "row_code": "", "column": entry["column"],
                      "cell": cell_name(r, c), "raw": raw}
            if entry["field"] in TEXT_FIELDS:
                school.add(entry["field"], entry["stage"], raw, record)
                continue
            number = parse_number(raw)
            if number is None:
                problems.append(issue(file, name, record["cell"], f"'{short(raw)}' is not a number; expected a "
                                                                  f"number, empty or * ({entry['column']})"))
                continue
            school.add(entry["field"], entry["stage"], number * entry["factor"], record)
        schools.append((school, folder))
    return schools, problems
