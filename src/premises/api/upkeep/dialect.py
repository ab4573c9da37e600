"""The UpKeep-compatible dialect as the root app mounts it (``premises.api.dialects_installed``)."""

from __future__ import annotations

from premises.api.kit.dialects import Dialect
from premises.api.upkeep import bench, errors
from premises.api.upkeep.app import create_upkeep_app

UPKEEP = Dialect(
    name="upkeep",
    prefix="/api/v2",
    summary="UpKeep-compatible",
    create_app=create_upkeep_app,
    render_http_error=errors.http_error,
    install_root=bench.install,  # GET /_bench/bare, only when PREMISES_BENCH_ENDPOINTS=1 (docs/benchmarks.md)
)
