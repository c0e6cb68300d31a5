"""Status tallies (qyanalysis.contract.tallies) on hand-made rows; the counts of targets everywhere they show."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from qyanalysis.contract.tallies import TARGET_STATUSES, status_counts, target_counts, unit_counts

STATUSES = ("met", "not_met", "no_data")


def test_status_counts_per_group_with_totals_in_the_given_order():
    rows = pd.DataFrame({"section": [2, 2, 2, 5, 5], "status": ["met", "not_met", "met", "no_data", "at_risk"]})
    counts = status_counts(rows, "section", STATUSES).set_index("section")
    # Section 2: 2 met + 1 not met = 3; section 5: 1 no data (at_risk is not counted) = 1.
    assert counts.columns.tolist() == [*STATUSES, "total"]
    assert counts.loc[2].tolist() == [2, 1, 0, 3] and counts.loc[5].tolist() == [0, 0, 1, 1]


def test_listed_groups_without_rows_count_zero():
    rows = pd.DataFrame({"item": [3], "status": ["met"]})
    counts = status_counts(rows, "item", STATUSES, groups=[1, 2, 3])
    assert counts["item"].tolist() == [1, 2, 3]
    assert counts["total"].tolist() == [0, 0, 1] and counts["met"].dtype == "int64"


def test_two_grouping_columns_and_no_rows():
    rows = pd.DataFrame({"county_code": ["1", "1", "2"], "county_name": ["A", "A", "B"],
                         "status": ["met", "no_data", "met"]})
    counts = status_counts(rows, ["county_code", "county_name"], STATUSES)
    assert counts[["county_name", "met", "no_data", "total"]].to_numpy().tolist() == [["A", 1, 1, 2], ["B", 1, 0, 1]]
    empty = status_counts(rows.iloc[0:0], "county_code", STATUSES)
    assert empty.empty and empty.columns.tolist() == ["county_code", *STATUSES, "total"]


# --- the targets of a unit: one count everywhere (issue 17, finding 9) --------------------------------

def _card(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Hand-made scorecard rows: (county_code, level, status)."""
    return pd.DataFrame(rows, columns=["county_code", "level", "status"]).assign(scope="county")


def test_target_counts_count_a_county_page_s_own_rows_apart_from_the_city_s():
    # A county page: its 3 own rows (one its quota of a city-wide target) and the city's 2 rows.
    card = _card([("441800", "city", "at_risk"), ("441802", "county", "at_risk"), ("441802", "county", "met"),
                  ("441800", "city", "met"), ("441802", "county", "not_applicable")])
    card.loc[1, "scope"] = "city"  # the county's part of a city-wide target is the county's own
    counts = target_counts(card)
    assert counts[["county_code", "scope"]].to_numpy().tolist() == [["441802", "county"], ["441800", "city"]]
    assert counts.columns.tolist() == ["county_code", "scope", *TARGET_STATUSES, "total"]
    # County: 1 met + 1 at risk + 1 not applicable = 3 targets; city: 1 met + 1 at risk = 2.
    assert unit_counts(counts, "441802", "county") == {"met": 1, "on_track": 0, "at_risk": 1, "not_met": 0,
                                                       "no_data": 0, "not_applicable": 1, "total": 3}
    assert unit_counts(counts, "441800", "city")["total"] == 2
    assert unit_counts(counts, "441800", "county") is None


def test_target_counts_of_every_county_and_the_city_and_by_a_further_column():
    card = _card([("2", "county", "met"), ("1", "county", "not_met"), ("9", "city", "no_data"),
                  ("1", "county", "met")]).assign(section=[2, 2, 5, 5])
    counts = target_counts(card)
    assert counts[["county_code", "scope", "total"]].to_numpy().tolist() == [
        ["1", "county", 2], ["2", "county", 1], ["9", "city", 1]]
    by_section = target_counts(card, by=("section",))
    assert by_section[["county_code", "section", "met", "not_met"]].to_numpy().tolist() == [
        ["1", 2, 0, 1], ["1", 5, 1, 0], ["2", 2, 1, 0], ["9", 5, 0, 0]]


def test_target_counts_refuse_unknown_levels_and_statuses():
    with pytest.raises(ValueError, match="levels"):
        target_counts(_card([("1", "school", "met")]))
    with pytest.raises(ValueError, match="statuses"):
        target_counts(_card([("1", "county", "done")]))
    empty = target_counts(_card([]))
    assert empty.empty and "total" in empty.columns


def _expected(card: pd.DataFrame, level: str, code: str) -> dict[str, int]:
    """The targets of a unit by status, counted here by hand from its scorecard rows."""
    rows = card[(card["level"] == level) & (card["county_code"] == code)]
    found = {s: int((rows["status"] == s).sum()) for s in TARGET_STATUSES}
    return {**found, "total": len(rows)}


def _numbers(cells: list[str]) -> list[int]:
    return [int(c.replace(",", "")) for c in cells]


def _sentence(counts: dict[str, int], first: bool) -> str:
    """The words every place says the counts in (zh), built here from the labels' plain shape."""
    from qyanalysis.present.labels import status_label

    parts = "、".join(f"{status_label(s)} {counts[s]} 项" for s in TARGET_STATUSES if counts[s])
    return (f"本县区 {counts['total']} 项目标：{parts}" if first else f"另有全市目标 {counts['total']} 项：{parts}")


@pytest.mark.slow
def test_one_county_and_the_city_show_the_same_counts_in_every_place(tmp_path, demo, monkeypatch):
    """清城区 and the city: the index pages, run.json's map values, the workbooks and the PDF contents
    (a run of the real scorecards with stand-in notebooks), the overview and the city comparison
    (their builders) all show the county's own targets and, apart, the city's — the same numbers."""
    from openpyxl import load_workbook

    from qyanalysis.present.narrative import scorecard_summary
    from qyanalysis.report import tables
    from qyanalysis.report.page import Page
    from qyanalysis.runner import RunOptions, run_batch
    from qyanalysis.runner.outputs import not_met_counts
    from qyanalysis.runner.pdf import build_book
    from test_runner_fakes import TEST_NOTEBOOKS, light_kernels

    light_kernels(monkeypatch)
    code, city_code = "441802", demo.counties.city_code
    options = RunOptions(out=tmp_path, notebooks_dir=TEST_NOTEBOOKS, jobs=1, quiet=True, timeout=120.0,
                         counties=[code, "city"], notebooks=["00_overview"])
    assert run_batch(options).exit_code == 0
    year_dir = tmp_path / "2022"
    manifest = json.loads((year_dir / "run.json").read_text(encoding="utf-8"))
    county_page = Page(demo, code, 2022, "zh", as_of_month=manifest["params"]["as_of"])
    every = county_page.all_counties_scorecard
    own, city = _expected(every, "county", code), _expected(every, "city", city_code)
    assert own["total"] > 0 and city["total"] > 0
    statuses = list(TARGET_STATUSES)

    # The city index: 清城区's row counts its own targets; the city's row the city-wide ones.
    index = (year_dir / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r"<tr><td>([^<]+)</td>((?:<td class=\"num\">[^<]*</td>)+)</tr>", index))
    cells = {name: _numbers(re.findall(r">([^<]*)<", rows[name])[::2]) for name in ("清城区", "清远市（全市目标）")}
    assert cells["清城区"] == [*(own[s] for s in statuses), own["total"]]
    assert cells["清远市（全市目标）"] == [*(city[s] for s in statuses), city["total"]]
    # The county index: a column for its own targets, one for the city's, and the sentence.
    county_index = (year_dir / code / "index.html").read_text(encoding="utf-8")
    table = re.findall(r'qy-status-(\w+)">[^<]*</td><td class="num">([\d,]+)</td><td class="num">([\d,]+)</td>',
                       county_index)
    assert {s: (int(a), int(b)) for s, a, b in table} == {s: (own[s], city[s]) for s in [*statuses, "total"]}
    assert f"{_sentence(own, True)}；{_sentence(city, False)}。" in county_index
    # The map of the city index (run.json's counts) and the city comparison's map.
    assert not_met_counts(demo.counties, manifest)[code] == own["not_met"]
    city_page = Page(demo, city_code, 2022, "zh", as_of_month=manifest["params"]["as_of"])
    map_values = tables.county_map_values(city_page).set_index("county_code")
    assert map_values.loc[code, "not_met"] == own["not_met"]
    # The city comparison's table of counts.
    compared = tables.county_status_counts(city_page).set_index("county_code")
    assert compared.loc[code, [*statuses, "total"]].tolist() == [*(own[s] for s in statuses), own["total"]]
    assert str(city["total"]) in compared.attrs["qy"].note
    # The overview: the sentence, the table by section and the items.
    summary = scorecard_summary(county_page.section_scorecard(), "清城区")
    assert summary.startswith(f"清城区 2022 年{_sentence(own, True)}；{_sentence(city, False)}。")
    by_section = tables.status_by_section(county_page)
    assert by_section[[*statuses, "total"]].sum().tolist() == [*(own[s] for s in statuses), own["total"]]
    assert by_section["city"].sum() == city["total"]
    links = tables.section_links(county_page)
    assert (links["targets"].sum(), links["met"].sum(), links["city"].sum()) == (own["total"], own["met"],
                                                                                 city["total"])
    # The workbooks: the city's summary sheet and the county's About sheet.
    summary_sheet = load_workbook(year_dir / "city" / "scorecards.xlsx")["汇总"]
    values = {row[0]: list(row[3:]) for row in summary_sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert values["清城区"] == [*(own[s] for s in statuses), own["total"]]
    assert values["清远市"] == [*(city[s] for s in statuses), city["total"]]
    about = load_workbook(year_dir / code / "scorecard.xlsx")["说明"]
    assert any(_sentence(own, True) in str(c) for row in about.iter_rows(values_only=True) for c in row)
    # The PDF's contents page.
    contents = build_book(year_dir, code, manifest, 2022).html()
    assert f"{_sentence(own, True)}；{_sentence(city, False)}。" in contents


def test_the_overview_names_each_target_once_with_whose_it_is_and_says_each_total(demo):
    """On a county's overview a target of the city and the county's own row of it are two names,
    each marked (全市 / 本县区); a status lists its total first ("共 N 项"), then at most five names."""
    from qyanalysis.present.labels import status_label
    from qyanalysis.present.narrative import scorecard_summary
    from qyanalysis.report import tables
    from qyanalysis.report.page import Page

    page = Page(demo, "441802", 2022, "zh")
    card = page.section_scorecard()
    summary = scorecard_summary(card, "清城区")
    for status in ("not_met", "at_risk", "on_track"):
        rows = card[card["status"] == status]
        split = "、".join(f"{w} {n} 项" for w, n in (("本县区", int((rows["level"] == "county").sum())),
                                                     ("全市", int((rows["level"] == "city").sum()))) if n)
        assert f"{status_label(status)}共 {len(rows)} 项（{split}）：" in summary
    names = re.findall(r"[：、]([^：、；。]+?（(?:全市|本县区)）)", summary)
    assert names and len(names) == len(set(names))
    assert "等 " not in summary  # "…等" closes a list whose total was said before it
    chart = tables.summary_targets(page)
    assert set(chart.loc[chart["level"] == "city", "scope_mark"]) == {"全市"}
    assert set(chart.loc[chart["level"] == "county", "scope_mark"]) <= {""}
