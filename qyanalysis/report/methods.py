"""The methods document with its facts gathered: ``docs/methods.md`` and ``OUT/YEAR/methods.html``.

:mod:`qyanalysis.present.methods` writes the page from what it is handed; this
module, on the report floor, hands it the target registry, the attainment's
tolerance and forecast coverage, the gap-closing unit costs (with their sources
worded as the readiness page words them) and the census mapping (:func:`facts`).
The runner, ``make docs`` and the notebooks call the functions here.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from qyanalysis.present import methods as page
from qyanalysis.present.html import NavLink, Provenance
from qyanalysis.present.methods import MethodsFacts

DOCS_PATH = Path("docs") / "methods.md"
DEVELOPERS_PATH = Path("docs") / "methods-developers.md"


def forecast_coverage() -> float:
    """Coverage of the scorecard's forecast interval: 1 − the default ``alpha`` of the attainment."""
    from qyanalysis.verdicts.rules import current_values

    return 1.0 - float(inspect.signature(current_values).parameters["alpha"].default)


def facts() -> MethodsFacts:
    """What the methods page quotes, read from the modules that own it (at call time: registrations count)."""
    from qyanalysis.verdicts.rules import TOLERANCE
    from qyanalysis.io.census import mapping_markdown
    from qyanalysis.measures.gaps import unit_cost_table
    from qyanalysis.report.tables.balance_readiness import unit_cost_source
    from qyanalysis.verdicts.targets import load_targets

    costs = unit_cost_table()
    for lang in ("zh", "en"):
        costs[f"source_{lang}"] = [unit_cost_source(str(source), lang) for source in costs["source"]]
    return MethodsFacts(targets=load_targets(), tolerance=TOLERANCE, forecast_coverage=forecast_coverage(),
                        unit_costs=costs, census_mapping=mapping_markdown())


def rules_markdown(lang: str) -> str:
    """The hand-written rules of ``lang`` with their values filled in."""
    return page.rules_markdown(lang, facts())


def indicator_markdown(code: str, lang: str = "en") -> str:
    """The methods entry of one indicator: unit, origin, definition, interval, source, targets, code."""
    return page.indicator_markdown(code, lang, facts())


def methods_markdown(lang: str = "en") -> str:
    """The methods document in ``lang`` ("zh" or "en"); ``docs/methods.md`` is the English one."""
    return page.methods_markdown(lang, facts())


def methods_body_html(lang: str) -> str:
    """The methods document in ``lang`` as the page's HTML body, made once per process for the definitions
    and settings in force (the batch makes it while the kernels render; the page is written after them)."""
    from qyanalysis import measures, settings

    state = tuple((name, repr(getattr(settings, name))) for name in settings.names())
    return _methods_body_html(lang, measures.version(), state)


@lru_cache(maxsize=4)
def _methods_body_html(lang: str, registrations: tuple, settings_state: tuple) -> str:
    return page.methods_body_html(lang, facts())


def methods_html(lang: str, provenance: Provenance, banner: str | None = None,
                 nav: Sequence[NavLink] = ()) -> str:
    """The methods page of a run (``OUT/YEAR/methods.html``) in ``lang``, offline, in the reports' style,
    with its navigation bar ``nav``."""
    return page.methods_html(lang, provenance, banner, methods_body_html(lang), nav)


def developers_markdown() -> str:
    """``docs/methods-developers.md``: files, settings, codes, the tolerance and the census mapping."""
    return page.developers_markdown(facts())


def write_docs(root: Path) -> list[Path]:
    """Write ``root/docs/methods.md`` and ``root/docs/methods-developers.md`` (``make docs``)."""
    (root / DOCS_PATH).write_text(methods_markdown("en"), encoding="utf-8")
    (root / DEVELOPERS_PATH).write_text(developers_markdown(), encoding="utf-8")
    return [root / DOCS_PATH, root / DEVELOPERS_PATH]


if __name__ == "__main__":  # pragma: no cover - `make docs`
    print(write_docs(Path.cwd()))
