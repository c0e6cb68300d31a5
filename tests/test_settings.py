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
    assert (settings.TEMPORARY_RATIO_LIMIT_SHARE, settings.TEMPORARY_EXCESS_CUT_SHARE) == (0.05, 0.20)
    assert "vocational" in settings.FITNESS_LEVELS and "kindergarten" not in settings.FITNESS_LEVELS


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
