"""``python -m liqwatch.stress --db PATH [--write]``: regenerate the package levels and
verdict parameters (see :mod:`liqwatch.stress.packagedata`)."""

from liqwatch.stress.packagedata import main

main()
