"""Read and plot fleetsim HDF5 results and sweeps (schema: sim/telemetry/SCHEMA.md).

    import fleetsim
    result = fleetsim.load("results/quickstart.h5")
    result.jobs, result.timeseries("paris"), result.summary, result.units("jobs")
    result.read_jobs(["id", "start_s"], where="campus == 'paris' and gpus >= 64")   # reads only what it needs
    result.to_xarray()                                  # every campus timeseries, dims (campus, time)
    sweep = fleetsim.load_sweep("results/sweeps/quickstart-sweep")   # points x (parameters, metrics)
"""
from .result import Result, load
from .sweep import higher_is_better, load_point, load_sweep, pareto_front, replica_means

__all__ = ["Result", "load", "load_sweep", "load_point", "replica_means", "pareto_front", "higher_is_better"]
