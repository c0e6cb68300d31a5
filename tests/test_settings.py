"""Settings: sourced constants and the override context manager."""

from __future__ import annotations

import pytest

from qyanalysis import settings


def test_documented_values():
    # 中央编办发〔2014〕72号: students per staff member
    assert dict(settings.STAFF_ESTABLISHMENT_NORMS) == {"primary": 19.0, "junior": 13.5, "senior": 12.5}
    # 广东省教育事业发展统计公报 2021
    assert dict(settings.GUANGDONG_2021_PUPIL_TEACHER_RATIOS) == {"primary": 18.22, "junior": 13.62}
    # plan item 27 default denominator (docs/methods.md, “Item 27”)
    assert settings.TEMPORARY_RATIO_DENOMINATOR == "established_plus_temporary"
    assert settings.TEMPORARY_RATIO_DENOMINATOR in settings.TEMPORARY_RATIO_DENOMINATORS
    assert settings.TEMPORARY_RATIO_LIMIT_SHARE == 0.05
    assert not hasattr(settings, "TEMPORARY_EXCESS_CUT_SHARE")  # the 20 % is the registry's threshold
    # the plan's fitness targets count 中小学生 (general primary and secondary schools)
    assert "vocational" not in settings.FITNESS_LEVELS and "kindergarten" not in settings.FITNESS_LEVELS


def test_override_restores_the_previous_values():
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established", STAFF_ESTABLISHMENT_NORMS={"primary": 20.0}):
        assert settings.TEMPORARY_RATIO_DENOMINATOR == "established"
        assert settings.STAFF_ESTABLISHMENT_NORMS["primary"] == 20.0
        with pytest.raises(TypeError):  # stored read-only
            settings.STAFF_ESTABLISHMENT_NORMS["primary"] = 1.0
    assert settings.TEMPORARY_RATIO_DENOMINATOR == "established_plus_temporary"
    assert settings.STAFF_ESTABLISHMENT_NORMS["primary"] == 19.0


def test_override_restores_after_an_error():
    with pytest.raises(RuntimeError):
        with settings.override(CONFIDENCE=0.9):
            raise RuntimeError("boom")
    assert settings.CONFIDENCE == 0.95


def test_override_refuses_unknown_names():
    with pytest.raises(KeyError, match="TEMPORARY_RATIO_DENOMINATR"):
        with settings.override(TEMPORARY_RATIO_DENOMINATR="established"):
            pass
    assert "CONFIDENCE" in settings.names() and "override" not in settings.names()


def test_default_gives_the_shipped_value_under_an_override():
    shipped = settings.GAP_COST_TEACHING_AREA_YUAN_PER_M2
    with settings.override(GAP_COST_TEACHING_AREA_YUAN_PER_M2=1.0):
        assert settings.default("GAP_COST_TEACHING_AREA_YUAN_PER_M2") == shipped
    with pytest.raises(KeyError):
        settings.default("NOT_A_SETTING")


def test_gap_unit_costs_are_documented_with_a_source():
    costs = [n for n in settings.names() if n.startswith("GAP_COST_")]
    assert len(costs) == 7
    assert set(settings.GAP_UNIT_COST_SOURCES) == set(costs)
    # 广东省统计局, 2021 average annual wage in education (urban non-private units)
    assert settings.GAP_COST_QUALIFIED_TEACHER_YUAN_PER_YEAR == 117_500.0
    assert settings.GAP_COST_EQUIPMENT_YUAN_PER_YUAN == 1.0
