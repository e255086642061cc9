"""fleetsim.load() reads /services (schema 4): the synthetic file's one service, figures by hand (conftest.py)."""
import math

import pytest

import fleetsim


def test_services_are_listed_and_their_series_read(synthetic_h5):
    result = fleetsim.load(synthetic_h5)
    assert result.services == ["chat"]
    series = result.service_timeseries("chat")
    assert series.index.name == "time_s"
    assert len(series) == 48
    assert (series["requests_per_s"] == 10.0).all()
    assert (series["output_tokens_per_s"] == 2000.0).all()
    # 8 kW for 48 hours: 1.3824e9 J, as the service's it_energy_j attribute says.
    assert (series["power_w"] * 3600).sum() == pytest.approx(result.service_attributes("chat")["it_energy_j"])
    assert result.units("services/chat/timeseries")["requests_per_s"] == "1/s"


def test_service_totals_and_the_summary_agree(synthetic_h5):
    result = fleetsim.load(synthetic_h5)
    totals = result.service_totals()
    row = totals.loc["chat"]
    assert row["model"] == "llama2-70b" and row["tp"] == 8
    assert row["energy_per_1k_output_tokens_j"] == pytest.approx(row["it_energy_j"] / row["output_tokens"] * 1000)
    assert result.summary["tokens_served"] == pytest.approx(row["input_tokens"] + row["output_tokens"])
    assert result.summary["cost_per_million_tokens_eur"] == pytest.approx(
        row["cost_eur"] / (row["input_tokens"] + row["output_tokens"]) * 1e6)
    assert math.isclose(result.summary["slo_attainment"], row["requests_meeting_slo"] / row["requests"])


def test_an_unknown_service_is_a_key_error(synthetic_h5):
    with pytest.raises(KeyError, match="no service 'search'"):
        fleetsim.load(synthetic_h5).service_timeseries("search")
