"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

Every view registers itself with the builder whose frame it draws (``@view("balance_cvs")``,
:mod:`qyanalysis.report.registry`): ``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are
the same function. No view module imports another view module (only ``common``).
"""

from qyanalysis.report.registry import VIEWS, import_modules, lookup
from qyanalysis.report.views.common import note_of

#: The section modules, in file order (importing them registers their views).
MODULE_NAMES = import_modules(__name__, __path__)


def __getattr__(name: str):
    """``views.<view>``: the registered view of that name."""
    return lookup(VIEWS, name, __name__).function


def __dir__() -> list[str]:
    return sorted({*globals(), *VIEWS})


__all__ = ["note_of", *sorted(VIEWS)]
