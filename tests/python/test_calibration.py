"""The kernel constants in hw/catalog/kernels.toml are what analysis/calibration/fit_kernels.py fits to the
shipped Vidur timings (nobody tuned them by hand), and the fits describe the data they were fitted to."""
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def load_fit():
    spec = importlib.util.spec_from_file_location("fit_kernels", REPO / "analysis" / "calibration" / "fit_kernels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kernels_toml_is_the_fit():
    fit = load_fit()
    assert fit.main(["--check"]) == 0


def test_fits_are_close_to_the_measurements():
    """Large GEMMs and collectives are described within ~20 % (rms of ln ratio); the H100 reaches a larger share
    of its much higher peak than nothing, and less than 100 %."""
    for entry in load_fit().fit_all():
        assert entry["gemm_rms_log_error"] < 0.2
        assert entry["allreduce_rms_log_error"] < 0.1
        assert 0.5 < entry["gemm_efficiency"] < 0.9
        assert entry["allreduce_bus_gb_s"] > 100
