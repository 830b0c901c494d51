"""``python -m liqwatch.stress --db PATH [--write]``: recalibrate the package levels file."""

from liqwatch.stress.levels import main

main()
