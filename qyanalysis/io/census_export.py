"""Writing a dataset as the statistics system's per-school workbooks (``qyanalysis export-census``).

Each school × year becomes one workbook in the layout of its form generation
(``census_forms.LAYOUTS``): 2018 (基础基, with the export's letter row and
row-number column, numbers stored as text) or 2021 (教基, sheets named
``教基NNNN_<办学类型>``). A combined school gets one students, classes and
qualification form per stage, and one staff, buildings and land form. What a
figure of the ``schools`` table does not say (grades, the split between stages,
indoor and outdoor sports area) is spread by the fixed rules of :func:`school_cells`,
which the reader's rules (``census.derive``) add back up.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from qyanalysis.io import census_forms as cf

# Where the writer puts each stage: (kind, stage) → (表号 number, column of the stage or row block).
STAGE_FORMS = {
    "2018": {("classes", "kindergarten"): ("211", 1), ("classes", "primary"): ("212", 1),
             ("classes", "junior"): ("213", 2), ("classes", "senior"): ("213", 3), ("classes", "special"): ("214", 1),
             ("students", "kindergarten"): ("311", 0), ("students", "primary"): ("312", 0),
             ("students", "junior"): ("313", 0), ("students", "senior"): ("314", 0), ("students", "special"): ("315", 0),
             ("qualification", "kindergarten"): ("4211", 0), ("qualification", "primary"): ("423", 0),
             ("qualification", "junior"): ("424", 0), ("qualification", "senior"): ("424", 10),
             ("qualification", "special"): ("425", 0)},
    "2021": {("classes", "kindergarten"): ("2105", 1), ("classes", "primary"): ("2106", 1),
             ("classes", "junior"): ("2107", 1), ("classes", "senior"): ("2108", 1), ("classes", "special"): ("2109", 1),
             ("students", "kindergarten"): ("3111", 0), ("students", "primary"): ("3112", 0),
             ("students", "junior"): ("3115", 0), ("students", "senior"): ("3118", 0), ("students", "special"): ("3120", 0),
             ("qualification", "kindergarten"): ("4159", 0), ("qualification", "primary"): ("4155", 0),
             ("qualification", "junior"): ("4156", 0), ("qualification", "senior"): ("4156", 10),
             ("qualification", "special"): ("4157", 0)},
}
SCHOOL_FORMS = {"2018": {"basic": "111", "backbone": "112", "titles": "422"},
                "2021": {"basic": "1001", "backbone": "1102", "titles": "4153"}}
STAFF_FORM = {"2018": {"kindergarten": "411", "special": "413"}, "2021": {"kindergarten": "4148", "special": "4150"}}
BACKBONE_ROW = {"2018": dict(zip(cf.STAGES, ("25", "26", "27", "28", "29"))),
                "2021": dict(zip(cf.STAGES, ("07", "08", "09", "10", "11")))}
INDOOR_SHARE = 0.2  # share of the sports area written as indoor sports rooms (体育馆 / 室内体育用房)


def _num(value: object) -> float:
    """A figure of the schools table as float (NaN when missing)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def split(total: float, weights: list[float]) -> list[int]:
    """Split a whole number over parts in proportion to weights (largest remainders; parts sum to total)."""
    total = int(round(total))
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum <= 0:
        weights, weight_sum = [1.0] * len(weights), float(len(weights))
    raw = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def bounded(total: float, caps: list[int]) -> list[int]:
    """Give a whole number to parts in order, each at most its cap (the caps sum to at least total)."""
    left, parts = int(round(total)), []
    for cap in caps:
        take = min(left, cap)
        parts.append(take)
        left -= take
    if parts and left > 0:
        parts[-1] += left
    return parts


def _stage_split(school: pd.Series, stages: tuple[str, ...]) -> list[float]:
    """Pupils of each stage: the students_<stage> columns of a combined school, else all its students."""
    if len(stages) == 1:
        return [_num(school["students"])]
    values = [_num(school.get(f"students_{s}")) for s in stages]
    if any(math.isnan(v) for v in values):
        return [float(x) for x in split(_num(school["students"]), [1.0] * len(stages))]
    return values


def _qualification_cells(gen: str, stage: str, teachers: int, above: int, pe_arts: float,
                         base: int) -> dict[tuple[str, int], object]:
    """Total, qualification rows (the above-required ones first) and the PE/music/art columns of one block."""
    index = {q: i for i, q in enumerate(("postgraduate", "bachelor", "associate", "secondary", "below_secondary"))}
    counts = dict.fromkeys(index, 0)
    first = cf.ABOVE_REQUIRED_FROM[stage]
    if first == "associate":
        counts["bachelor"], counts["associate"] = above // 2, above - above // 2
        counts["secondary"] = teachers - above
    elif first == "bachelor":
        counts["postgraduate"], counts["bachelor"] = above // 4, above - above // 4
        counts["associate"] = teachers - above
    else:
        counts["postgraduate"], counts["bachelor"] = above, teachers - above
    cells: dict[tuple[str, int], object] = {(f"{base + 1:02d}", 1): teachers}
    offset = 1 if gen == "2021" else 0  # 2021 splits 研究生 into 博士 and 硕士 (all written as 硕士)
    for q, i in index.items():
        cells[(f"{base + 2 + i + offset:02d}", 1)] = counts[q]
    if gen == "2021":
        cells[(f"{base + 2:02d}", 1)] = 0  # 博士研究生
    if stage != "kindergarten" and not math.isnan(pe_arts):
        labels = cf.SUBJECTS[gen]
        pe, music = int(pe_arts) // 2, (int(pe_arts) - int(pe_arts) // 2) // 2
        art = int(pe_arts) - pe - music
        for label, value in ((labels[5], pe), (labels[6], music), (labels[7], art), (labels[9], teachers - int(pe_arts))):
            cells[(f"{base + 1:02d}", 2 + labels.index(label))] = value
    return cells


def school_cells(school: pd.Series, gen: str) -> dict[str, dict[tuple[str, int], object]]:
    """Every cell the writer fills for one school: 表号 number → {(row code, column number): value}.

    Spreading rules (the reader adds them back): pupils of a stage evenly over its grades;
    classes, teachers, above-qualified, PE/arts teachers and classes over the limit over the stages
    in proportion to pupils (each part capped by its stage's total); the sports area 20 % indoor,
    80 % outdoor; equipment in 万元 to four decimals.
    """
    level = school["level"]
    stages = cf.STAGES_OF_LEVEL[level]
    forms: dict[str, dict[tuple[str, int], object]] = {}

    def put(number: str, row: str, col: int, value: object) -> None:
        if isinstance(value, float) and math.isnan(value):
            return
        forms.setdefault(number, {})[(row, col)] = value

    basic = SCHOOL_FORMS[gen]["basic"]
    type_code = "218" if bool(school.get("is_teaching_point")) is True and level == "primary" else cf.TYPE_OF_LEVEL[level]
    location = cf.CODE_OF_LOCATION.get(str(school.get("location")), "")
    organiser = cf.PRIVATE_ORGANISER if school["ownership"] != "public" else "831"
    for row, col, value in (("01", 2, school["school_id"]), ("02", 1, school["school_name"]),
                            ("03", 2, f"{school['county_code']}100000"),
                            ("05", 1, cf.LOCATION_NAME.get(location, "")), ("05", 2, location),
                            ("06", 1, cf.TYPE_NAME.get(type_code, "")), ("06", 2, type_code),
                            ("07", 1, cf.ORGANISER_NAME[organiser]), ("07", 2, organiser),
                            ("08", 1, "是" if school["ownership"] == "private_inclusive" else "否"),
                            ("09", 1, 0 if type_code == "218" else 1)):
        put(basic, row, col, value)
    pupils = _stage_split(school, stages)
    classes = split(_num(school["classes"]), pupils) if not math.isnan(_num(school["classes"])) else []
    teachers = split(_num(school["teachers"]), pupils) if not math.isnan(_num(school["teachers"])) else []
    above = bounded(_num(school["teachers_above_required_qualification"]), teachers) \
        if teachers and not math.isnan(_num(school["teachers_above_required_qualification"])) else []
    pe_arts = _num(school.get("pe_arts_teachers"))
    pe_parts = bounded(pe_arts, teachers) if teachers and not math.isnan(pe_arts) else [float("nan")] * len(stages)
    over_value = _num(school.get("classes_over_limit"))
    limited = [s in cf.CLASS_LIMIT for s in stages]
    over = bounded(over_value, [c if lim else 0 for c, lim in zip(classes, limited)]) \
        if classes and not math.isnan(over_value) else []
    for i, stage in enumerate(stages):
        number, col = STAGE_FORMS[gen][("students", stage)]
        form = cf.LAYOUTS[gen][number]
        cols = {label: j for j, label in enumerate(form.columns, 1)}
        put(number, "01", cols["在校生数"], int(pupils[i]))
        grades = [j for label, j in cols.items() if label.endswith("年级") or label in ("小班", "中班", "大班")]
        used = grades[:3] if stage == "junior" else grades
        for j, value in zip(used, split(pupils[i], [1.0] * len(used))):
            put(number, "01", j, value)
        put(number, "01", len(form.columns), "*")
        if classes:
            number, col = STAGE_FORMS[gen][("classes", stage)]
            put(number, "01", col, classes[i])
            if number == "213":
                forms[number][("01", 1)] = int(forms[number].get(("01", 1), 0)) + classes[i]
            if over:
                limit = cf.CLASS_LIMIT[stage] if stage in cf.CLASS_LIMIT else 0
                over_row = 3 + next(k for k, (lo, _) in enumerate(cf.BANDS) if lo > limit) if limit else None
                if over_row:
                    put(number, f"{over_row:02d}", col, over[i])
                    put(number, f"{over_row - 1:02d}", col, classes[i] - over[i])
                    if number == "213":
                        for r in (over_row, over_row - 1):
                            key = (f"{r:02d}", 1)
                            forms[number][key] = int(forms[number].get(key, 0)) + forms[number][(f"{r:02d}", col)]
        if teachers:
            number, base = STAGE_FORMS[gen][("qualification", stage)]
            cells = _qualification_cells(gen, stage, teachers[i], above[i] if above else 0, pe_parts[i], base)
            if not above:
                cells = {k: v for k, v in cells.items() if k[0] == f"{base + 1:02d}"}
            forms.setdefault(number, {}).update(cells)
    first_stage = stages[0] if stages else "primary"
    migrant_stage = next((s for s in stages if s in ("primary", "junior")), None)
    if migrant_stage:
        number, _ = STAGE_FORMS[gen][("students", migrant_stage)]
        cols = {label: j for j, label in enumerate(cf.LAYOUTS[gen][number].columns, 1)}
        put(number, "09" if gen == "2021" else "03", cols["在校生数"], _num(school.get("migrant_students")))
    put(SCHOOL_FORMS[gen]["backbone"], BACKBONE_ROW[gen][first_stage], 1, _num(school.get("backbone_teachers")))
    staff = STAFF_FORM[gen].get(level, "412" if gen == "2018" else "4149")
    put(staff, "01", 1, _num(school.get("staff")))
    put(staff, "01", 2, _num(school.get("teachers")))
    if gen == "2018":
        put(staff, "01", 7, _num(school.get("temporary_teachers")))
    titles = SCHOOL_FORMS[gen]["titles"]
    senior_title = _num(school.get("teachers_senior_title"))
    if not math.isnan(senior_title):
        put(titles, "01", 1, _num(school.get("teachers")))
        put(titles, "03", 1, int(senior_title) // 3)
        put(titles, "04", 1, int(senior_title) - int(senior_title) // 3)
    _conditions(school, gen, level, put)
    return forms


def _conditions(school: pd.Series, gen: str, level: str, put) -> None:
    """Buildings (teaching area, indoor sports) and land and other conditions (outdoor sports, books …)."""
    kindergarten = level == "kindergarten" and gen == "2018"
    buildings = ("511" if kindergarten else "512") if gen == "2018" else "5170"
    land = ("521" if kindergarten else "522") if gen == "2018" else "5176"
    rows = {label: code for code, label in cf.LAYOUTS[gen][buildings].rows}
    teaching = _num(school.get("teaching_area_m2"))
    sports = _num(school.get("sports_area_m2"))
    indoor = round(sports * INDOOR_SHARE, 1) if not math.isnan(sports) else sports
    put(buildings, "01", 1, teaching)
    put(buildings, rows["教学及辅助用房"], 1, teaching)
    put(buildings, rows["体育馆" if gen == "2018" else "室内体育用房"], 1, indoor)
    outdoor = round(sports - indoor, 1) if not math.isnan(sports) else sports
    equipment = _num(school.get("equipment_value_yuan"))
    equipment = round(equipment / 10000, 4) if not math.isnan(equipment) else equipment
    rooms = _num(school.get("multimedia_rooms"))
    computers = _num(school.get("computers"))
    books = _num(school.get("library_books"))
    if gen == "2018":
        for col, value in ((3, outdoor), (4, books), (5, computers), (6, computers), (9, equipment),
                           (10, equipment)):
            put(land, "01", col, value)
        if not math.isnan(rooms):
            put(land, "01", 7, int(rooms) - int(rooms) // 3)
            put(land, "01", 8, int(rooms) // 3)
    else:
        for row, value in (("03", outdoor), ("08", books), ("12", computers), ("13", rooms), ("14", equipment),
                           ("15", equipment)):
            put(land, row, 1, value)


def _text(value: object, as_text: bool) -> object:
    """A value as the export stores it: 2018 exports keep numbers as text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if as_text and not isinstance(value, str) else value


def write_form(book, form: cf.Form, cells: dict[tuple[str, int], object], sheet_name: str) -> None:
    """One form as a sheet: title, 表号 and unit, merged headers, the 甲/乙/1… row, data rows."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(sheet_name)
    old = form.generation == "2018"
    r0, c0 = (1, 1) if old else (0, 0)  # 2018 exports: a letter row above, a row-number column left
    width = len(form.columns) + 2
    rows: list[list[object]] = [[form.title], [f"表号：{form.code}    {form.unit}".rstrip()]]
    header_at = len(rows)
    if form.groups:
        top = ["指标名称", "代码"] + [""] * len(form.columns)
        for first, last, text in form.groups:
            top[first + 1] = text
        grouped = {c for first, last, _ in form.groups for c in range(first, last + 1)}
        top = [top[i] if i < 2 or (i - 1) in grouped else form.columns[i - 2] for i in range(width)]
        rows.append(top)
        rows.append(["", ""] + [label if c in grouped else "" for c, label in enumerate(form.columns, 1)])
    else:
        rows.append(["指标名称", "代码", *form.columns])
    rows.append(["甲", "乙", *[str(i) for i in range(1, len(form.columns) + 1)]])
    for code, label in form.rows:
        printed = str(int(code)) if old else code
        rows.append([label, printed, *[_text(cells[(code, c)], old) if (code, c) in cells else None
                                        for c in range(1, len(form.columns) + 1)]])
    if old:
        sheet.append([None, *[get_column_letter(i) for i in range(1, width + 1)]])
    for i, line in enumerate(rows, start=1):
        sheet.append(([i] if old else []) + list(line))
    if form.groups:
        first_row = header_at + 1 + r0
        for c in range(width):
            col = c + 1 + c0
            if c < 2 or (c - 1) not in {x for f, l, _ in form.groups for x in range(f, l + 1)}:
                sheet.merge_cells(start_row=first_row, start_column=col, end_row=first_row + 1, end_column=col)
        for first, last, _ in form.groups:
            sheet.merge_cells(start_row=first_row, start_column=first + 2 + c0, end_row=first_row,
                              end_column=last + 2 + c0)


def write_school(school: pd.Series, gen: str, path: Path) -> Path:
    """Write one school's workbook (the forms its level files) to ``path``."""
    import openpyxl

    cells = school_cells(school, gen)
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    year = int(school["year"])
    cover.append(["基础教育学校(机构)统计报表"])
    cover.append([f"（{year}/{year + 1}学年初）"])
    cover.append(["国统制[2018]86号" if gen == "2018" else "教育事业综合统计调查制度"])
    type_name = cf.TYPE_NAME.get(str(cells[SCHOOL_FORMS[gen]["basic"]][("06", 2)]), "学校")
    for number in sorted(cells, key=lambda n: list(cf.LAYOUTS[gen]).index(n)):
        form = cf.LAYOUTS[gen][number]
        name = form.code if gen == "2018" else f"{form.code}_{type_name}"
        write_form(book, form, cells[number], name)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def export_census(schools: pd.DataFrame, out: Path, form_year: str, years: list[int] | None = None) -> list[Path]:
    """Write every school × year of a ``schools`` table as per-school workbooks under ``out/YEAR/COUNTY/``.

    Args:
        schools: A typed schools table (``county_code`` column).
        out: The folder written into.
        form_year: "2018" (基础基) or "2021" (教基).
        years: The census years to write (default: every year of the table that uses ``form_year``'s forms).

    Vocational schools (中职) file other forms and are left out.
    """
    chosen = schools[schools["level"] != "vocational"]
    if years is None:
        years = sorted(y for y in chosen["year"].unique() if cf.generation_of_year(int(y)) == form_year)
    chosen = chosen[chosen["year"].isin(years)]
    written = []
    for _, school in chosen.iterrows():
        type_code = "218" if bool(school.get("is_teaching_point")) is True and school["level"] == "primary" \
            else cf.TYPE_OF_LEVEL[school["level"]]
        name = f"{school['school_id']}_{school['school_name']}({cf.TYPE_NAME[type_code]}).xlsx"
        written.append(write_school(school, form_year, out / str(int(school["year"])) / school["county_code"] / name))
    return written
