"""The English methods page in English (issue 19): built in process, scanned by the rule of the other
English pages (tests/english_helpers.py) with the methods page's "English (中文)" allowance, and the
sources it cites given in English (qyanalysis.contract.sources)."""

from __future__ import annotations

import pytest
from english_helpers import FORM_TERMS, ORIGINAL, allowed_names, chinese_leftovers, originals

from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.contract.sources import source_en
from qyanalysis.present.html import make_provenance
from qyanalysis.present.labels import demo_banner
from qyanalysis.report import methods
from qyanalysis.verdicts.targets import load_targets

PROVENANCE = make_provenance("f" * 64, {"year": 2022}, generated_at="2022-10-01T00:00Z", version="9.9")
# The census forms' terms and the plan's title, each given once beside its English: a handful, not a page
# of Chinese (the scan allows any "English (中文)"; this keeps them rare).
MAX_ORIGINALS = 30


def test_the_english_allowance_spares_an_original_after_its_english_only():
    text = "<p>the enrollment (在校生数) of each form\n(基础基311 / 教基3111), staff (教职工)</p>"
    assert chinese_leftovers(text, [*FORM_TERMS], originals=True) == []
    assert chinese_leftovers(text, [*FORM_TERMS]) != []  # the report pages: no originals allowed
    for leftover in ("the 优质均衡 school rule", "(运动场地面积; form)", "(优质均衡)", "“全市”", "是 / 否"):
        assert chinese_leftovers(f"<p>{leftover}</p>", [], originals=True) != [], leftover
    assert ORIGINAL.findall("work plan (清远市2022年教育工作要点) and “item” (第8条)") == [
        " (清远市2022年教育工作要点)", " (第8条)"]


def test_the_english_methods_page_is_in_english(demo):
    page = methods.methods_html("en", PROVENANCE, demo_banner("en"))
    assert chinese_leftovers(page, allowed_names(demo), originals=True) == []
    assert 0 < len(set(originals(page))) <= MAX_ORIGINALS, sorted(set(originals(page)))


@pytest.mark.parametrize("source", sorted({e.source for e in CATALOGUE.values()} | set(load_targets()["source"])))
def test_every_source_the_page_cites_is_given_in_english(source):
    assert chinese_leftovers(source_en(source), []) == [], source_en(source)


def test_a_plan_item_is_cited_by_its_number_and_an_unknown_source_stays_as_written():
    assert source_en("清远市2022年教育工作要点 第8条") == "Qingyuan 2022 education work plan, item 8"
    assert source_en("清远市2022年教育工作要点 第29条 (省下达任务)") == (
        "Qingyuan 2022 education work plan, item 29 (a task set by the province)")
    assert source_en("示例") == "示例"
