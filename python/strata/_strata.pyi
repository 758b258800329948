"""Type stubs of the Rust extension (see the package's docstring)."""

import os
from typing import Any, Optional, Protocol, Sequence, Tuple, Union, final

import pyarrow

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

class _ArrowStream(Protocol):
    def __arrow_c_stream__(self, requested_schema: Any = ...) -> Any: ...

class _ArrowArray(Protocol):
    def __arrow_c_array__(self, requested_schema: Any = ...) -> Any: ...

_Table = Union[_ArrowStream, _ArrowArray]
"""Anything that exports Arrow through the C interface: a pyarrow Table, RecordBatch or
RecordBatchReader, a polars or DuckDB result, …"""

_Path = Union[str, "os.PathLike[str]"]
_Crs = Union[int, str]

__version__: str

class StrataError(ValueError):
    """Input Strata cannot read: the message names the file (or table), the feature and the
    field; so do these attributes (None where not known)."""

    file: Optional[str]
    feature: Optional[str]
    field: Optional[str]

@final
class Grid:
    """A square grid of tiles in plan, in the units' projected CRS (metres); tiles are
    half-open, so a point on an edge is in the tile east (north) of it."""

    def __new__(cls, size: float, origin: Tuple[float, float] = ...) -> "Grid": ...
    @property
    def size(self) -> float: ...
    @property
    def origin(self) -> Tuple[float, float]: ...
    def tile_of(self, x: float, y: float) -> Tuple[int, int]: ...

def read(
    paths: Union[_Path, Sequence[_Path]],
    *,
    crs: Optional[_Crs] = None,
    height_datum: Optional[str] = None,
) -> pyarrow.Table:
    """Reads survey files into a table of the survey profile."""

def validate(units: _Table, *, crs: Optional[_Crs] = None, name: str = "table") -> pyarrow.Table:
    """One row per finding of the table's units and plots."""

def check_all(
    units: _Table, *, tolerance: float = 0.05, crs: Optional[_Crs] = None, name: str = "table"
) -> pyarrow.Table:
    """Every conflict of the table's units, in one process."""

def halo(units: _Table, *, crs: Optional[_Crs] = None, name: str = "table") -> float:
    """The halo a tiling of these units needs, m."""

def assign_tiles(
    units: _Table,
    grid: Grid,
    *,
    halo: Optional[float] = None,
    crs: Optional[_Crs] = None,
    name: str = "table",
) -> pyarrow.Table:
    """Each unit copied into every tile whose halo its box meets (columns tile_i, tile_j)."""

def check_tile(
    units: _Table,
    tile: Tuple[int, int],
    grid: Grid,
    *,
    tolerance: float = 0.05,
    crs: Optional[_Crs] = None,
    name: str = "table",
) -> pyarrow.Table:
    """The conflicts the tile owns: over all tiles, each conflict exactly once."""
