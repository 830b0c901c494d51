"""``python -m liqwatch``."""

from liqwatch.cli import main

main()
