"""The subset CJK web font written beside the reports."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from qyanalysis.present import webfont


def test_cjk_characters_keeps_only_cjk_and_full_width():
    full_width_comma = "\uff0c"
    assert webfont.cjk_characters([f"abc 清远{full_width_comma}, ", "连南 <b>"]) == {
        "清", "远", full_width_comma, "连", "南"}


def test_subset_holds_exactly_the_requested_characters(tmp_path):
    path = tmp_path / "f.otf"
    path.write_bytes(webfont.subset_font("清远瑶"))
    cmap = TTFont(str(path)).getBestCmap()
    assert {chr(c) for c in cmap} == {"清", "远", "瑶"}


def test_subset_is_deterministic():
    assert webfont.subset_font("连南") == webfont.subset_font("南连")


def test_asset_is_written_once_and_rewritten_when_the_characters_change(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>清远</p>", encoding="utf-8")
    font = webfont.write_font_asset(tmp_path, [page])
    assert font == tmp_path / "assets" / webfont.FONT_FILE
    assert "Open Font License" in (tmp_path / "assets" / webfont.LICENSE_FILE).read_text(encoding="utf-8")
    first = font.stat().st_mtime_ns
    webfont.write_font_asset(tmp_path, [page])
    assert font.stat().st_mtime_ns == first  # same characters: nothing rewritten
    page.write_text("<p>清远连南</p>", encoding="utf-8")
    webfont.write_font_asset(tmp_path, [page])
    assert ord("连") in TTFont(str(font)).getBestCmap()


def test_no_cjk_no_font(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>English only</p>", encoding="utf-8")
    assert webfont.write_font_asset(tmp_path, [page]) is None


def test_font_face_rule_points_to_the_relative_asset():
    css = webfont.font_face_css("../assets/")
    assert 'url("../assets/qy-cjk.otf")' in css and "http" not in css
