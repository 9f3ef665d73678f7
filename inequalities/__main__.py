"""``python -m inequalities``: the same command line as the ``inequalities`` script."""

from inequalities.cli import main

raise SystemExit(main())
