// The power control over time: the budget as the grid connection's schedule, demand-response events and hourly
// rules change it; pauses at a checkpoint ahead of an announced event; the control ticks; each event's window of
// curtailment against its baseline; the totals. Levels, admission and enforcement are in power_control.cpp.
#include <algorithm>
#include <cmath>

#include "sim/power/power_control.hpp"
#include "sim/power/power_control_units.hpp"

namespace fleetsim {

using namespace power_control_units;

void PowerControl::start() {
  if (config_.enforced()) control_.set_start_gate(this);
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    apply_rules(static_cast<int>(c));
    update_budget(static_cast<int>(c));
  }
  // A grid-connection schedule's later steps (build-out): the budget follows them.
  for (std::size_t c = 0; c < campuses_.size(); ++c)
    for (const auto& [from_s, connection_w] : scenario_.campuses[c].grid_connection_steps) {
      if (from_s <= 0) continue;
      control_.at(from_s, [this, c, watts = connection_w] {
        campuses_[c].connection_w = watts;
        update_budget(static_cast<int>(c));
      });
    }
  for (const DemandResponseEvent& event : config_.events) {
    auto change = [this, &event](bool begins) {
      for (std::size_t c = 0; c < campuses_.size(); ++c) {
        if (event.campus >= 0 && event.campus != static_cast<int>(c)) continue;
        Campus& campus = campuses_[c];
        const double target = std::isnan(event.target_w) ? event.fraction * campus.connection_w : event.target_w;
        if (begins) {
          campus.event_targets.push_back(target);
        } else {
          campus.event_targets.erase(std::find(campus.event_targets.begin(), campus.event_targets.end(), target));
        }
        update_budget(static_cast<int>(c));
      }
    };
    if (config_.pause_at_checkpoint && event.notice_s > 0) {
      control_.at(std::max(0.0, event.start_s - event.notice_s), [this, &event] {
        for (std::size_t c = 0; c < campuses_.size(); ++c) {
          if (event.campus >= 0 && event.campus != static_cast<int>(c)) continue;
          const double target = std::isnan(event.target_w) ? event.fraction * campuses_[c].connection_w : event.target_w;
          campuses_[c].upcoming.emplace_back(event.start_s, target);
          plan_pauses(static_cast<int>(c), event.start_s, target);
        }
      });
    }
    control_.at(event.start_s, [this, &event, change] {
      for (std::size_t c = 0; c < campuses_.size(); ++c) {
        Campus& campus = campuses_[c];
        if (campus.upcoming.empty() || (event.campus >= 0 && event.campus != static_cast<int>(c))) continue;
        const double target = std::isnan(event.target_w) ? event.fraction * campus.connection_w : event.target_w;
        const auto it = std::find(campus.upcoming.begin(), campus.upcoming.end(), std::make_pair(event.start_s, target));
        if (it != campus.upcoming.end()) campus.upcoming.erase(it);
        if (campus.upcoming.empty()) {
          for (std::uint64_t id : campus.pausing) pausing_[id] = 0;
          campus.pausing.clear();
        }
      }
      change(true);
    });
    control_.at(event.start_s + event.duration_s, [change] { change(false); });
  }
  if (grid_events_) ensure_tick();
}

void PowerControl::plan_pauses(int c, double start_s, double target_w) {
  Campus& campus = campuses_[c];
  const double now = control_.now_s();
  if (!(target_w < kInfinity) || start_s <= now) return;
  const std::int64_t budget_mw = static_cast<std::int64_t>(std::floor(target_w * kAim / meter_.campus(c).factors().pue * 1000));
  const int depth = config_.uses("cap") ? max_depth(campus) : campus.depth;
  const std::int64_t excess_mw =
      milliwatts(meter_.campus(c).it_power_w()) - tiers_power_mw(campus, campus.depth) + tiers_power_mw(campus, depth) - budget_mw;
  if (excess_mw <= 0) return;
  std::int64_t freed_mw = 0;
  for (std::uint64_t id : choose_victims(campus, std::numeric_limits<int>::max(), depth, excess_mw, freed_mw, -1, true)) {
    if (!(jobs_[id].checkpoint_interval_s > 0)) continue;  // nothing to keep: stopped when the event begins
    pausing_[id] = 1;
    campus.pausing.push_back(id);
    const Tier& tier = campus.tiers[static_cast<std::size_t>(tier_of_job_[id])];
    const double run_start_s = tier.jobs[static_cast<std::size_t>(position_[id])].start_s;
    bool at_checkpoint = false;
    const double pause_s = last_checkpoint_before_s(id, start_s, at_checkpoint);
    if (pause_s < start_s)
      control_.at(pause_s, [this, id, run_start_s, start_s] { pause_at_checkpoint(id, run_start_s, start_s); });
    else if (at_checkpoint)
      pause_at_checkpoint(id, run_start_s, start_s);  // at its last checkpoint before the event now
  }
}

double PowerControl::last_checkpoint_before_s(std::uint64_t id, double time_s, bool& at_checkpoint) const {
  const double interval = jobs_[id].checkpoint_interval_s;
  const RunProgress progress = control_.progress(id);
  const double intervals = progress.work_done / interval;
  const double nearest = std::round(intervals);
  at_checkpoint = nearest > 0 && std::abs(intervals - nearest) <= 1e-9 * std::max(1.0, nearest);
  const double now = control_.now_s();
  if (!(progress.rate > 0) || !(time_s > now)) return kInfinity;
  // The last whole interval reached before time_s (strictly: a checkpoint falling at time_s itself is too late).
  const double last = std::ceil((progress.work_done + progress.rate * (time_s - now)) / interval - 1e-9) - 1;
  if (last * interval <= progress.work_done + 1e-9 * interval) return kInfinity;
  return now + (last * interval - progress.work_done) / progress.rate;
}

void PowerControl::pause_at_checkpoint(std::uint64_t id, double run_start_s, double event_start_s) {
  if (!pausing_[id] || position_[id] < 0) return;
  const Campus& campus = campuses_[static_cast<std::size_t>(jobs_[id].campus)];
  const Tier& tier = campus.tiers[static_cast<std::size_t>(tier_of_job_[id])];
  if (tier.jobs[static_cast<std::size_t>(position_[id])].start_s != run_start_s) return;  // another run of it
  bool at_checkpoint = false;
  const double next_s = last_checkpoint_before_s(id, event_start_s, at_checkpoint);
  if (next_s < event_start_s) {  // a later checkpoint still comes before the event (the rate rose)
    control_.at(next_s, [this, id, run_start_s, event_start_s] { pause_at_checkpoint(id, run_start_s, event_start_s); });
    return;
  }
  if (!at_checkpoint) return;  // the rate fell and no checkpoint comes before the event: stopped when it begins
  pausing_now_ = id;
  control_.stop_job(id, true);
  pausing_now_ = kNone;
}

// Control ticks fall on multiples of control_interval, and only while needed: some campus capped or with a start
// refused, or grid events to keep baselines for.
void PowerControl::ensure_tick() {
  if (tick_pending_) return;
  tick_pending_ = true;
  const double interval = config_.control_interval_s;
  control_.at((std::floor(control_.now_s() / interval) + 1) * interval, [this] { on_control_tick(); });
}

void PowerControl::on_control_tick() {
  tick_pending_ = false;
  const double now = control_.now_s();
  bool again = grid_events_;
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    Campus& campus = campuses_[c];
    relax(static_cast<int>(c));
    again = again || campus.depth > 0 || campus.waiting;
    if (!grid_events_) continue;
    // The facility energy at this tick, kept for an hour: a grid event's baseline.
    campus.marks.emplace_back(now, meter_.campus(static_cast<int>(c)).facility_energy_at(now));
    std::size_t stale = 0;
    while (stale + 1 < campus.marks.size() && campus.marks[stale + 1].first <= now - kBaselineWindowS) ++stale;
    campus.marks.erase(campus.marks.begin(), campus.marks.begin() + static_cast<std::ptrdiff_t>(stale));
  }
  if (again) ensure_tick();
}

// A new hour: the meter has the hour's PUE, price and carbon; rules may fire or stop; a higher PUE may need control.
void PowerControl::on_hour(double time_s) {
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    const int campus = static_cast<int>(c);
    integrate_factors(campus, time_s);
    apply_rules(campus);
    update_budget(campus);
    enforce(campus);
  }
}

// The tightest target of the rules whose signal is above their threshold this hour (0: none fires).
void PowerControl::apply_rules(int c) {
  Campus& campus = campuses_[c];
  const CampusFactors& factors = meter_.campus(c).factors();
  const double price_eur_per_mwh = factors.price_eur_per_j * 3.6e9, carbon_g_per_kwh = factors.carbon_kg_per_j * 3.6e9;
  campus.rule_target_w = 0;
  for (const SignalRule& rule : config_.rules) {
    if (rule.campus >= 0 && rule.campus != c) continue;
    const double value = rule.on == SignalRule::On::price ? price_eur_per_mwh : carbon_g_per_kwh;
    if (!(value > rule.above)) continue;
    const double target = std::isnan(rule.target_w) ? rule.fraction * campus.connection_w : rule.target_w;
    campus.rule_target_w = campus.rule_target_w > 0 ? std::min(campus.rule_target_w, target) : target;
  }
}

// The budget: the grid connection, lowered by active events and the rule of the hour.
void PowerControl::update_budget(int c) {
  Campus& campus = campuses_[c];
  const double now = control_.now_s();
  double budget = campus.connection_w > 0 ? campus.connection_w : kInfinity;
  const bool event = !campus.event_targets.empty() || campus.rule_target_w > 0;
  for (double target : campus.event_targets) budget = std::min(budget, target);
  if (campus.rule_target_w > 0) budget = std::min(budget, campus.rule_target_w);
  if (budget == kInfinity) budget = 0;
  const bool lowered = event && (campus.connection_w <= 0 || budget < campus.connection_w);
  if (lowered && !campus.in_window) open_window(c, now);
  if (!lowered && campus.in_window) close_window(c, now, false);
  if (budget == campus.budget_w) return;
  const double old_budget = campus.budget_w;
  meter_.set_budget(c, now, budget);
  campus.budget_w = budget;
  if (old_budget <= 0 || (budget > 0 && budget < old_budget)) enforce(c);
  else relax(c);
}

void PowerControl::integrate_factors(int c, double now) {
  Campus& campus = campuses_[c];
  const CampusFactors& factors = meter_.campus(c).factors();
  campus.price_s += factors.price_eur_per_j * (now - campus.factors_since_s);
  campus.carbon_s += factors.carbon_kg_per_j * (now - campus.factors_since_s);
  campus.factors_since_s = now;
}

// A grid event begins: its baseline is the mean facility power over the hour before (from the control ticks'
// marks; the power now when there is no earlier mark).
void PowerControl::open_window(int c, double now) {
  Campus& campus = campuses_[c];
  const CampusPower& power = meter_.campus(c);
  integrate_factors(c, now);
  campus.in_window = true;
  campus.window_start_s = now;
  campus.window_facility_j = power.facility_energy_at(now);
  campus.window_cost_eur = power.cost_at(now);
  campus.window_carbon_kg = power.carbon_at(now);
  campus.window_price_s = campus.price_s;
  campus.window_carbon_s = campus.carbon_s;
  campus.baseline_w = power.it_power_w() * power.factors().pue;
  for (const auto& [time_s, energy_j] : campus.marks)
    if (time_s >= now - kBaselineWindowS - 1e-9 && time_s < now) {
      campus.baseline_w = (campus.window_facility_j - energy_j) / (now - time_s);
      break;
    }
}

// The window's curtailment up to `now`: the baseline's energy, cost and carbon less what the campus drew.
void PowerControl::close_window(int c, double now, bool keep_open) {
  Campus& campus = campuses_[c];
  const CampusPower& power = meter_.campus(c);
  integrate_factors(c, now);
  const double span = now - campus.window_start_s;
  campus.totals.grid_event_s += span;
  campus.totals.curtailed_j += campus.baseline_w * span - (power.facility_energy_at(now) - campus.window_facility_j);
  campus.totals.curtailed_cost_eur +=
      campus.baseline_w * (campus.price_s - campus.window_price_s) - (power.cost_at(now) - campus.window_cost_eur);
  campus.totals.curtailed_carbon_kg +=
      campus.baseline_w * (campus.carbon_s - campus.window_carbon_s) - (power.carbon_at(now) - campus.window_carbon_kg);
  campus.in_window = keep_open;
}

std::vector<PowerBudgetTotals> PowerControl::totals(double horizon_s) {
  std::vector<PowerBudgetTotals> result;
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    Campus& campus = campuses_[c];
    advance(campus, horizon_s);
    if (campus.in_window) close_window(static_cast<int>(c), horizon_s, false);
    result.push_back(campus.totals);
  }
  return result;
}

std::uint64_t PowerControl::jobs_delayed() const {
  std::uint64_t count = 0;
  for (std::uint8_t delayed : delayed_) count += delayed;
  return count;
}

}  // namespace fleetsim
