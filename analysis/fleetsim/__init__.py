"""Read and plot fleetsim HDF5 results (schema: sim/telemetry/SCHEMA.md).

    import fleetsim
    result = fleetsim.load("results/quickstart.h5")
    result.jobs, result.timeseries("oslo"), result.summary, result.units("jobs")
"""
from .result import Result, load

__all__ = ["Result", "load"]
