"""``python -m qyanalysis`` — the same as the ``qyanalysis`` command."""

from qyanalysis.cli import main

raise SystemExit(main())
