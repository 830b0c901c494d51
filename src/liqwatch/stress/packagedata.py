"""Regenerate the stress layer's package data from a store: ``python -m liqwatch.stress``.

``--db PATH [--write]`` recalibrates the composite's levels (``data/levels.toml``, training days
before 2015 outside episodes) and then re-runs the leave-one-episode-out choice of the overall
status's parameters (``data/verdict.toml``) on the composite with those levels. Without
``--write`` both are printed, not written (the choice then uses the package's current levels).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from liqwatch.files import package_path, write_text

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Recalibrate the levels and re-choose the verdict parameters from a store."""
    parser = argparse.ArgumentParser(prog="python -m liqwatch.stress", description=main.__doc__)
    parser.add_argument("--db", required=True, type=Path, help="the store to calibrate on")
    parser.add_argument("--write", action="store_true", help="write the package data files")
    args = parser.parse_args(argv)
    from liqwatch import indicators
    from liqwatch.store import Store
    from liqwatch.stress.cache import composite_panel
    from liqwatch.stress.composite import method_outputs
    from liqwatch.stress.event_study import backtest_inputs
    from liqwatch.stress.levels import calibrate, load_levels
    from liqwatch.stress.levels import to_toml as levels_toml
    from liqwatch.stress.methods import segment_tail
    from liqwatch.stress.selection import select_params
    from liqwatch.stress.selection import to_toml as params_toml
    from liqwatch.stress.verdict import _package_params

    with Store(args.db, read_only=True) as store:
        panel = composite_panel(store)
        outs = method_outputs(panel)
        levels = levels_toml(calibrate({m: o.value for m, o in outs.items()},
                                       segment_tail(panel)[0]))
        print(levels)
        if args.write:
            write_text(package_path("stress/data/levels.toml"), levels)
            load_levels.cache_clear()
            indicators.memo(store).clear()  # the composite's history used the old levels
        inputs = backtest_inputs(store)
        sel = select_params(inputs.history, inputs.composite, inputs.found, view=inputs.view,
                            regime=inputs.regime, base=_package_params())
    print(sel.held_out.to_string(index=False))
    params = params_toml(sel.params)
    print(params)
    if args.write:
        write_text(package_path("stress/data/verdict.toml"), params)
        _package_params.cache_clear()
