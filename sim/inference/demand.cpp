#include "sim/inference/demand.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/core/civil_time.hpp"
#include "sim/core/csv_row.hpp"
#include "sim/core/csv_table.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/rng.hpp"

namespace fleetsim::inference {

TokenDistribution azure_conversation_prompt_tokens() { return {760.0, 0.985, 2, 14050}; }
TokenDistribution azure_conversation_output_tokens() { return {151.0, 0.859, 7, 1000}; }

namespace {

// Mean of a lognormal clipped to [min, max] and rounded, by quadrature over the standard normal.
double mean_tokens(const TokenDistribution& d) {
  double sum = 0, weight = 0;
  for (int i = -800; i <= 800; ++i) {
    const double z = i / 100.0;
    const double w = std::exp(-z * z / 2);
    const double value = std::clamp(std::round(d.median * std::exp(d.sigma * z)), double(d.min), double(d.max));
    sum += w * value;
    weight += w;
  }
  return sum / weight;
}

std::int32_t draw_tokens(const TokenDistribution& d, RandomStream& rng) {
  const double value = std::round(rng.lognormal(d.median, d.sigma));
  return static_cast<std::int32_t>(std::clamp(value, double(d.min), double(d.max)));
}

// Arrivals of the trace replayed at `scale` up to time t: whole replays and the part of the current one.
double trace_count(const RequestTrace& trace, double scale, double t) {
  if (t <= 0 || trace.entries.empty()) return 0;
  const double period = trace.period_s / scale;
  const double replays = std::floor(t / period);
  const double within = (t - replays * period) * scale;  // in trace time
  const auto end = std::lower_bound(trace.entries.begin(), trace.entries.end(), within,
                                    [](const TraceEntry& e, double time) { return e.time_s < time; });
  return replays * double(trace.entries.size()) + double(end - trace.entries.begin());
}

double profile_rate(const DemandConfig& demand, double time_s) {
  return demand.subscribers * demand.requests_per_day / 86400.0 * profile_factor(demand, time_s);
}

}  // namespace

ArrivalProfile arrival_profile(const DemandConfig& demand) {
  ArrivalProfile profile;
  profile.daily = demand.daily_profile;
  profile.weekly = demand.weekly;
  profile.growth_per_year = demand.growth_per_year;
  profile.year_offset_s = demand.year_offset_s;
  return profile;
}

double profile_factor(const DemandConfig& demand, double time_s) {
  if (demand.kind != DemandConfig::Kind::profile) return 1.0;
  return arrival_profile(demand).factor(time_s);
}

RequestTrace read_azure_llm_trace(const std::string& path) {
  CsvFile file(path);
  const auto index = file.required({"TIMESTAMP", "ContextTokens", "GeneratedTokens"});
  RequestTrace trace;
  trace.path = path;
  double first = 0;
  file.for_each_row([&](const CsvRow& row) {
    // "2023-11-16 18:15:46.6805900": a wall-clock time with an optional decimal fraction of a second.
    const std::string& stamp = row.text(index[0]);
    std::size_t at = 0;
    WallClock clock;
    if (!read_wall_clock(stamp, at, clock)) row.fail(index[0], "must be a date and time YYYY-MM-DD HH:MM:SS[.fraction]");
    double seconds = clock.seconds;
    if (at < stamp.size()) {
      if (stamp[at] != '.' || at + 1 == stamp.size()) row.fail(index[0], "must be a date and time YYYY-MM-DD HH:MM:SS[.fraction]");
      double scale = 0.1;
      for (++at; at < stamp.size(); ++at, scale /= 10) {
        if (stamp[at] < '0' || stamp[at] > '9') row.fail(index[0], "must be a date and time YYYY-MM-DD HH:MM:SS[.fraction]");
        seconds += (stamp[at] - '0') * scale;
      }
    }
    TraceEntry entry;
    entry.prompt_tokens = static_cast<std::int32_t>(row.whole(index[1], 1 << 24));
    entry.output_tokens = static_cast<std::int32_t>(row.whole(index[2], 1 << 24));
    if (entry.prompt_tokens < 1) row.fail(index[1], "must be at least 1 token");
    if (entry.output_tokens < 1) row.fail(index[2], "must be at least 1 token");
    if (trace.entries.empty()) first = seconds;
    entry.time_s = seconds - first;
    if (!trace.entries.empty() && entry.time_s < trace.entries.back().time_s)
      row.fail(index[0], "must not be earlier than the row before (the trace is in time order)");
    trace.entries.push_back(entry);
  });
  if (trace.entries.empty()) throw InputError({path, static_cast<int>(file.line())}, "TIMESTAMP", "the trace has no requests");
  const double span = trace.entries.back().time_s;
  const double gap = trace.entries.size() > 1 ? span / double(trace.entries.size() - 1) : 1.0;
  trace.period_s = span + (gap > 0 ? gap : 1.0);
  return trace;
}

double mean_rate(const DemandConfig& demand, double t0_s, double t1_s) {
  if (t1_s <= t0_s) return 0;
  if (demand.kind == DemandConfig::Kind::trace)
    return (trace_count(*demand.trace, demand.scale, t1_s) - trace_count(*demand.trace, demand.scale, t0_s)) /
           (t1_s - t0_s);
  // Piecewise constant by hour of the absolute clock: integrate hour by hour.
  double requests = 0;
  double t = t0_s;
  while (t < t1_s) {
    const double absolute = t + demand.year_offset_s;
    const double hour_end = (std::floor(absolute / 3600) + 1) * 3600 - demand.year_offset_s;
    const double next = std::min(t1_s, std::max(hour_end, t + 1e-9));
    requests += profile_rate(demand, t) * (next - t);
    t = next;
  }
  return requests / (t1_s - t0_s);
}

double mean_prompt_tokens(const DemandConfig& demand) {
  if (demand.kind == DemandConfig::Kind::profile) return mean_tokens(demand.prompt_tokens);
  double sum = 0;
  for (const TraceEntry& e : demand.trace->entries) sum += e.prompt_tokens;
  return sum / double(demand.trace->entries.size());
}

double mean_output_tokens(const DemandConfig& demand) {
  if (demand.kind == DemandConfig::Kind::profile) return mean_tokens(demand.output_tokens);
  double sum = 0;
  for (const TraceEntry& e : demand.trace->entries) sum += e.output_tokens;
  return sum / double(demand.trace->entries.size());
}

std::vector<Request> generate_requests(const DemandConfig& demand, double duration_s, std::uint64_t seed,
                                       std::string_view stream) {
  std::vector<Request> requests;
  if (demand.kind == DemandConfig::Kind::trace) {
    const RequestTrace& trace = *demand.trace;
    const double period = trace.period_s / demand.scale;
    requests.reserve(static_cast<std::size_t>(trace_count(trace, demand.scale, duration_s)) + 1);
    for (double start = 0; start < duration_s; start += period)
      for (const TraceEntry& e : trace.entries) {
        const double at = start + e.time_s / demand.scale;
        if (at >= duration_s) break;
        requests.push_back(Request{at, e.prompt_tokens, e.output_tokens});
      }
    return requests;
  }
  // A Poisson process whose rate is constant within each hour: unit-rate exponential gaps spent hour by hour.
  RandomStream rng(seed, stream);
  double t = 0;
  double gap = rng.exponential(1.0);
  while (t < duration_s) {
    const double absolute = t + demand.year_offset_s;
    const double hour_end = std::min(duration_s, (std::floor(absolute / 3600) + 1) * 3600 - demand.year_offset_s);
    const double rate = profile_rate(demand, t);
    if (rate <= 0 || gap > rate * (hour_end - t)) {
      gap -= rate * (hour_end - t);
      t = std::max(hour_end, t + 1e-9);
      continue;
    }
    t += gap / rate;
    if (t >= duration_s) break;
    requests.push_back(Request{t, draw_tokens(demand.prompt_tokens, rng), draw_tokens(demand.output_tokens, rng)});
    gap = rng.exponential(1.0);
  }
  return requests;
}

std::vector<Request> length_mix(const DemandConfig& demand, std::size_t count, std::uint64_t seed, std::string_view stream) {
  RandomStream rng(seed, stream);
  std::vector<Request> mix;
  mix.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (demand.kind == DemandConfig::Kind::trace) {
      const auto& entries = demand.trace->entries;
      const TraceEntry& e = entries[static_cast<std::size_t>(rng.uniform01() * double(entries.size())) % entries.size()];
      mix.push_back(Request{0.0, e.prompt_tokens, e.output_tokens});
    } else {
      const std::int32_t prompt = draw_tokens(demand.prompt_tokens, rng);
      mix.push_back(Request{0.0, prompt, draw_tokens(demand.output_tokens, rng)});
    }
  }
  return mix;
}

}  // namespace fleetsim::inference
