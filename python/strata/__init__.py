"""Strata: three-dimensional cadastre.

Survey files are read into Arrow tables of the survey profile (one row per plot and per
part of a unit, the geometry as GeoArrow WKB); tables are validated and checked for
conflicts in one process (`check_all`) or tile by tile (`assign_tiles`, then `check_tile`
on each tile, on as many workers as there are), with the same answers either way.
"""

from ._strata import (
    Grid,
    StrataError,
    __version__,
    assign_tiles,
    check_all,
    check_tile,
    halo,
    read,
    validate,
)

__all__ = [
    "Grid",
    "StrataError",
    "__version__",
    "assign_tiles",
    "check_all",
    "check_tile",
    "halo",
    "read",
    "validate",
]
