"""The equity tables and views (section 2): thresholds come from the scorecard rows.

A county's override of one 差异系数 limit (a ``targets_override`` row) must reach
the scorecard, the data handed to the chart and the page's text; no copy of the
registry's 0.50 / 0.45 may decide what is drawn or written.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis.report import open_page, tables, views
from qyanalysis.report.frames import frame_html
from qyanalysis.report.page import Page
from qyanalysis.report.tables import development

YEAR = 2022
QINGCHENG = "441802"
TARGET = "t08_balance_cv_sports_area_per_student_primary"
CODE = "balance_cv_sports_area_per_student_primary"


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell


@pytest.fixture(scope="module")
def overridden():
    """The demo data with Qingcheng's primary sports-area 差异系数 limit set to 0.30 (from the registry's 0.50)."""
    demo = open_page("city", YEAR, "", "zh").dataset
    row = pd.DataFrame({"target_id": [TARGET], "county_code": [QINGCHENG], "threshold": [0.30],
                        "comparator": [pd.NA], "source": ["2022 责任书 (test)"]})
    overrides = row if demo.targets_override is None else pd.concat([demo.targets_override, row],
                                                                      ignore_index=True)
    return dataclasses.replace(demo, targets_override=overrides)


def _text(captured) -> str:
    return "\n".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)


def _chart_arguments(monkeypatch, module, name: str = "cv_chart") -> list[pd.DataFrame]:
    """Replace the chart function ``module.<name>`` by a recorder of the frames it is given (and draw them)."""
    calls: list[pd.DataFrame] = []
    original = getattr(module, name)

    def recording(rows, lang="zh"):
        calls.append(rows.copy())
        return original(rows, lang)

    monkeypatch.setattr(module, name, recording)
    return calls


def test_limits_text_lists_the_scorecard_limits_of_a_level():
    rows = pd.DataFrame({"indicator": [CODE, "balance_cv_backbone_teachers_per_100_primary",
                                       "balance_cv_backbone_teachers_per_100_junior"],
                         "threshold": [0.30, 0.50, 0.45]})
    assert development.limits_text(rows, "primary", "zh") == "0.30 / 0.50"
    assert development.limits_text(rows, "junior", "en") == "0.45"
    assert development.balance_rule_text(rows, "en").startswith(
        "Standard: every coefficient ≤ 0.30 / 0.50 in primary and ≤ 0.45 in junior schools")


def test_an_override_of_a_cv_limit_reaches_the_scorecard_the_chart_and_the_page(overridden, monkeypatch):
    page = Page(overridden, QINGCHENG, YEAR, "zh")
    # 1. the scorecard: the override's 0.30, the other counties and CVs keep the registry's limits
    card = page.scorecard.set_index("target_id")
    assert card.loc[TARGET, "threshold"] == pytest.approx(0.30)
    assert card.loc[TARGET, "threshold_source"] == "2022 责任书 (test)"
    assert card.loc["t08_balance_cv_sports_area_per_student_junior", "threshold"] == pytest.approx(0.45)
    # 2. the chart's data: the frame the table builder returns (and the chart draws) carries 0.30
    cvs = tables.balance_cvs(page)
    given = cvs.set_index("indicator")["threshold"]
    assert given[CODE] == pytest.approx(0.30)
    assert given["balance_cv_teaching_area_per_student_primary"] == pytest.approx(0.50)
    assert given["balance_cv_teaching_area_per_student_junior"] == pytest.approx(0.45)
    calls = _chart_arguments(monkeypatch, views.development, "draw_cv_chart")
    views.cv_chart(cvs)
    assert len(calls) == 1
    assert calls[0].set_index("indicator")["threshold"][CODE] == pytest.approx(0.30)
    # 3. the page text: the rule sentence under the table names the overridden limit beside the others
    text = frame_html(cvs)
    assert "小学各项差异系数 ≤ 0.30 / 0.50,初中 ≤ 0.45" in text
    # and the item-8 table and sentence show the county's target
    with capture_output() as captured:
        from qyanalysis.report.show import show_item

        show_item(page, 8)
    text = _text(captured)
    assert "小学生均体育运动场馆面积差异系数" in text and "不高于 0.30" in text


def test_another_county_keeps_the_registry_limit(overridden):
    page = Page(overridden, "441803", YEAR, "en")
    card = page.scorecard.set_index("target_id")
    assert card.loc[TARGET, "threshold"] == pytest.approx(0.50)
    assert card.loc[TARGET, "threshold_source"] == "registry"


def test_the_city_cv_table_shows_the_county_override(overridden):
    page = Page(overridden, overridden.counties.city_code, YEAR, "zh")
    text = views.cv_matrix_table(tables.balance_cv_matrix(page)).data
    # The limit column of the primary sports-area CV lists both limits; Qingcheng's cell names its own.
    assert "≤ 0.30 / 0.50" in text and "(≤ 0.30)" in text
    assert "小学各项差异系数 ≤ 0.30 / 0.50" in text
