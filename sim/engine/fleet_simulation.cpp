#include "sim/engine/fleet_simulation.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <cassert>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <tuple>
#include <stdexcept>

#include "sim/engine/platform_builder.hpp"
#include "sim/power/campus_power.hpp"
#include "sim/power/nameplate.hpp"
#include "sim/scheduling/fgd_placement.hpp"

namespace fleetsim {

namespace {
namespace sg4 = simgrid::s4u;
using simgrid::kernel::timer::Timer;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double now_s() { return sg4::Engine::get_clock(); }

// Where a job is in its life, as the engine tracks it.
struct JobProgress {
  double start_s = kNaN;          // first start
  double end_s = kNaN;
  double run_start_s = kNaN;      // start of the current run (after a preemption, the restart)
  double remaining_s = kNaN;      // work left at full speed, from run_start_s
  double rate = 1;                // progress per second of the current run (power caps slow it)
  double energy_j = 0;            // GPU energy of finished runs
  int preemptions = 0;
  double work_lost_gpu_s = 0;     // GPU-seconds of work redone after preemptions
  bool running = false;
  Placement placement;  // empty until started; released at its end
  RunningJobs::iterator running_entry;  // in running_[cluster] while it runs
  Timer* end_timer = nullptr;
};

// P(a single-node job of the campus needs more than f GPUs), f = 0..gpus_per_node: the job-size
// distribution the fragmentation-aware placement measures fragmentation against.
std::vector<double> single_node_size_above(const std::vector<Job>& jobs, const Cluster& cluster) {
  const int per_node = cluster.state.gpus_per_node();
  std::vector<double> above(per_node + 1, 0.0);
  double count = 0;
  for (const Job& job : jobs) {
    if (job.campus != cluster.campus || job.gpus > per_node) continue;
    ++count;
    for (int f = 0; f < job.gpus; ++f) above[f] += 1;
  }
  if (count == 0) return {};
  for (double& value : above) value /= count;
  return above;
}

// The campus's single-node task sizes with their frequencies (FGD's workload, the same for every cluster of
// the campus: a task too large for a node counts all its free GPUs as fragmented): GPU thousandths, and CPU
// and memory rounded up to whole cores and 4 GiB so that similar tasks merge; the 64 most frequent are kept.
std::vector<TaskSize> task_sizes(const std::vector<Job>& jobs, const Fleet& fleet, int campus) {
  int largest_node = 0;
  for (int cluster : fleet.campuses[campus].clusters)
    largest_node = std::max(largest_node, fleet.clusters[cluster].state.gpus_per_node());
  std::map<std::tuple<int, std::int64_t, std::int64_t>, double> counts;
  for (const Job& job : jobs) {
    if (job.campus != campus || job.gpus > largest_node) continue;
    const std::int64_t cpu = (job.cpu_milli + 999) / 1000 * 1000;
    const std::int64_t memory = (job.memory_mib + 4095) / 4096 * 4096;
    counts[{job.gpu_milli > 0 ? job.gpu_milli : job.gpus * kMilliPerGpu, cpu, memory}] += 1;
  }
  std::vector<TaskSize> sizes;
  for (const auto& [key, count] : counts)
    sizes.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  std::stable_sort(sizes.begin(), sizes.end(),
                   [](const TaskSize& a, const TaskSize& b) { return a.probability > b.probability; });
  if (sizes.size() > 64) sizes.resize(64);
  double total = 0;
  for (const TaskSize& size : sizes) total += size.probability;
  for (TaskSize& size : sizes) size.probability /= total;
  return sizes;
}

// Power of each rack of one cluster above its idle power, and the highest rack power seen.
struct RackPower {
  int nodes_per_rack = 1;
  double node_idle_w = 0;
  double limit_w = 0;
  int nodes = 0;
  std::vector<double> extra_w;
  double peak_ratio = 0;

  void add(int node, double watts) {
    const int rack = node / nodes_per_rack;
    extra_w[rack] += watts;
    if (limit_w > 0 && watts > 0) {
      const int nodes_in_rack = std::min(nodes_per_rack, nodes - rack * nodes_per_rack);
      peak_ratio = std::max(peak_ratio, (nodes_in_rack * node_idle_w + extra_w[rack]) / limit_w);
    }
  }
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, Fleet& fleet, const std::vector<Job>& jobs, const SchedulerPolicy& policy,
             Recorder& recorder)
      : fleet_(fleet),
        jobs_(jobs),
        policy_(policy),
        recorder_(recorder),
        horizon_s_(scenario.simulation.duration_s),
        interval_s_(scenario.simulation.telemetry_interval_s),
        queues_(fleet.campuses.size()),
        unplaceable_(fleet.campuses.size(), 0),
        progress_(jobs.size()),
        scenario_(scenario),
        offset_hours_(static_cast<long long>(std::floor(scenario.simulation.year_offset_s / 3600))) {
    for (std::size_t c = 0; c < fleet.campuses.size(); ++c) {
      power_.emplace_back(fleet.campuses[c].idle_power_w, factors(c, 0));
      const CampusConfig& campus = scenario.campuses[c];
      hourly_ |= !campus.ambient_c.is_constant() || !campus.carbon_g_per_kwh.is_constant() ||
                 !campus.price_eur_per_mwh.is_constant();
    }
    for (const Cluster& cluster : fleet.clusters) {
      const ClusterConfig& config = cluster_config(cluster);
      RackPower racks;
      racks.nodes_per_rack = config.nodes_per_rack;
      racks.node_idle_w = cluster.node->idle_power_w(*cluster.gpu);
      racks.limit_w = config.rack_limit_w;
      racks.nodes = cluster.state.node_count();
      racks.extra_w.assign((racks.nodes + config.nodes_per_rack - 1) / config.nodes_per_rack, 0.0);
      racks.peak_ratio = racks.limit_w > 0 ? std::min(racks.nodes_per_rack, racks.nodes) * racks.node_idle_w / racks.limit_w : 0;
      racks_.push_back(std::move(racks));
      PlacementContext context;
      context.nodes_per_rack = config.nodes_per_rack;
      context.size_above = single_node_size_above(jobs, cluster);
      if (scenario.scheduler.gpu_sharing) {
        context.task_sizes = task_sizes(jobs, fleet, cluster.campus);
        context.fgd_memo = std::make_shared<FgdMemo>();
      }
      placement_.push_back(std::move(context));
    }
    running_.resize(fleet.clusters.size());
    cluster_fragmented_.assign(fleet.clusters.size(), 0.0);
    campus_fragmented_.assign(fleet.campuses.size(), 0.0);
    node_fragmented_.resize(fleet.clusters.size());
    for (std::size_t c = 0; c < fleet.clusters.size(); ++c) {
      const Cluster& cluster = fleet.clusters[c];
      if (placement_[c].task_sizes.empty()) continue;
      // An idle node is fragmented too for the tasks it can never hold (more GPUs, CPU or memory than it has).
      std::vector<int> all(cluster.state.node_count());
      for (int node = 0; node < cluster.state.node_count(); ++node) all[node] = node;
      node_fragmented_[c].assign(all.size(), 0.0);
      update_fragmentation(static_cast<int>(c), 0.0, all);
    }
  }

  // Registers the first events; the SimGrid engine then drives everything.
  void start() {
    if (!jobs_.empty()) Timer::set(jobs_.front().submit_s, [this] { on_arrivals(); });
    Timer::set(std::min(interval_s_, horizon_s_), [this] { on_tick(); });
    if (hourly_ && horizon_s_ > 3600) Timer::set(3600, [this] { on_hour(); });
  }

  // Records jobs and totals at the horizon.
  void finish() {
    for (std::size_t c = 0; c < power_.size(); ++c) power_[c].advance_to(horizon_s_);
    for (const Job& job : jobs_) recorder_.job(job_record(job));
    std::vector<CampusTotals> totals;
    for (std::size_t c = 0; c < power_.size(); ++c) {
      const CampusPower& power = power_[c];
      double rack_ratio = 0;
      for (int cluster : fleet_.campuses[c].clusters) rack_ratio = std::max(rack_ratio, racks_[cluster].peak_ratio);
      totals.push_back({power.it_energy_j(), power.facility_energy_j(), power.carbon_kg(), power.gpu_seconds_busy(),
                        power.cost_eur(), power.peak_it_power_w(), power.peak_facility_power_w(), rack_ratio,
                        power.gpu_seconds_fragmented()});
    }
    recorder_.finish(totals);
  }

  std::uint64_t events() const { return events_; }
  std::uint64_t jobs_started() const { return jobs_started_; }
  std::uint64_t jobs_completed() const { return jobs_completed_; }

 private:
  // All jobs submitted now join their campus queue, in id order; then each touched campus schedules.
  void on_arrivals() {
    ++events_;
    const double now = now_s();
    std::vector<int> touched;
    while (next_arrival_ < jobs_.size() && jobs_[next_arrival_].submit_s <= now) {
      const Job& job = jobs_[next_arrival_++];
      if (touched.empty() || touched.back() != job.campus) touched.push_back(job.campus);
      queues_[job.campus].push_back(job.id);
    }
    for (int campus : touched) schedule(campus);
    if (next_arrival_ < jobs_.size()) Timer::set(jobs_[next_arrival_].submit_s, [this] { on_arrivals(); });
  }

  void on_job_end(std::uint64_t id) {
    ++events_;
    ++jobs_completed_;
    JobProgress& progress = progress_[id];
    progress.end_s = now_s();
    progress.end_timer = nullptr;
    release_job(id, progress.end_s);
    schedule(jobs_[id].campus);
  }

  // Stops a running job before its end: it keeps the work up to its last checkpoint and queues again.
  void preempt_job(std::uint64_t id) {
    ++preemptions_;
    const double now = now_s();
    JobProgress& progress = progress_[id];
    if (progress.end_timer) progress.end_timer->remove();  // none when it would end after the horizon
    progress.end_timer = nullptr;
    const double done_s = (now - progress.run_start_s) * progress.rate;
    const double interval_s = scenario_.scheduler.checkpoint_interval_s;
    const double kept_s = interval_s > 0 ? std::floor(done_s / interval_s) * interval_s : 0.0;
    progress.work_lost_gpu_s += (done_s - kept_s) * jobs_[id].gpus;
    progress.remaining_s -= kept_s;
    ++progress.preemptions;
    release_job(id, now);
    queues_[jobs_[id].campus].push_back(id);
  }

  // Gives a job's GPUs back and books the energy of its run.
  void release_job(std::uint64_t id, double now) {
    const Job& job = jobs_[id];
    JobProgress& progress = progress_[id];
    const int cluster_index = progress.placement.cluster;
    progress.running = false;
    unplaceable_[job.campus] = 0;  // freed GPUs: every queued job may fit again
    running_[cluster_index].erase(progress.running_entry);
    Cluster& cluster = fleet_.clusters[cluster_index];
    const Placement& placement = progress.placement;
    const std::vector<int> touched = nodes_of(cluster, placement);
    const double per_gpu_w = extra_power_per_gpu_w(job, cluster);
    int released = 0;
    if (placement.gpu_milli > 0) {
      // A fractional job: its share of the shared GPU; the GPU goes back to its node with its last tenant.
      const int node = cluster.shared.node_of(placement.shared_slot);
      racks_[cluster_index].add(node, -per_gpu_w * placement.gpu_milli / kMilliPerGpu);
      cluster.state.give_back_host(node, placement.cpu_milli, placement.memory_mib);
      if (cluster.shared.release(placement.shared_slot, placement.gpu_milli)) {
        cluster.state.give_back(Placement{cluster_index, {{node, 1}}});
        released = 1;
      }
    } else {
      cluster.state.give_back(placement);
      released = placement.gpus();
      for (const auto& [node, gpus] : placement.parts)
        racks_[cluster_index].add(node, -per_gpu_w * job_gpus_on(job, gpus, released));
    }
    update_fragmentation(cluster_index, now, touched);
    power_[job.campus].change(now, -per_gpu_w * job_gpu_share(job, placement), -released);
    progress.energy_j += job_gpu_share(job, placement) * cluster.gpu->power_w(job.gpu_utilization, cluster.power_cap_w) *
                         (now - progress.run_start_s);
  }

  // Every hour: new ambient temperature, PUE, carbon intensity and price for every campus.
  void on_hour() {
    ++events_;
    const double now = now_s();
    const long long hour = std::llround(now / 3600);
    for (std::size_t c = 0; c < power_.size(); ++c) power_[c].set_factors(now, factors(c, hour));
    if (now + 3600 < horizon_s_) Timer::set(now + 3600, [this] { on_hour(); });
  }

  CampusFactors factors(std::size_t c, long long hour) const {
    const CampusConfig& campus = scenario_.campuses[c];
    CampusFactors factors;
    factors.ambient_c = campus.ambient_c.at_hour(hour, offset_hours_);
    factors.pue = campus_pue(scenario_, campus, hour);
    factors.carbon_kg_per_j = campus.carbon_g_per_kwh.at_hour(hour, offset_hours_) / 1000.0 / 3.6e6;
    factors.price_eur_per_j = campus.price_eur_per_mwh.at_hour(hour, offset_hours_) / 3.6e9;
    return factors;
  }

  // Free GPUs of the cluster that the workload's single-node jobs would mostly find too few to use. With GPU
  // sharing, FGD's measure (Weng et al., ATC'23; fgd_placement.hpp): the sum over nodes of the expected free
  // GPU capacity the campus's task sizes cannot use, kept per node and updated for the nodes a start or an end
  // touches. Otherwise sum over nodes of node_fragmentation(free GPUs), in the same spirit.
  void update_fragmentation(int cluster_index, double now, const std::vector<int>& nodes) {
    const Cluster& cluster = fleet_.clusters[cluster_index];
    const PlacementContext& context = placement_[cluster_index];
    double fragmented = 0;
    if (!context.task_sizes.empty()) {
      fragmented = cluster_fragmented_[cluster_index];
      for (int node : nodes) {
        double& value = node_fragmented_[cluster_index][node];
        const double now_gpus =
            node_fragmentation_now(cluster, node, context.task_sizes, context.fgd_memo.get()) / kMilliPerGpu;
        fragmented += now_gpus - value;
        value = now_gpus;
      }
    } else {
      if (context.size_above.empty()) return;
      for (int free = 1; free < cluster.state.gpus_per_node(); ++free)
        fragmented += cluster.state.nodes_with_free(free).size() * node_fragmentation(free, context.size_above);
    }
    campus_fragmented_[cluster.campus] += fragmented - cluster_fragmented_[cluster_index];
    cluster_fragmented_[cluster_index] = fragmented;
    power_[cluster.campus].set_fragmented(now, campus_fragmented_[cluster.campus]);
  }

  // Nodes a placement touches: its parts, or the node of the shared GPU it joins.
  std::vector<int> nodes_of(const Cluster& cluster, const Placement& placement) const {
    if (placement.gpu_milli > 0 && placement.shared_slot >= 0) return {cluster.shared.node_of(placement.shared_slot)};
    std::vector<int> nodes;
    for (const auto& part : placement.parts) nodes.push_back(part.first);
    return nodes;
  }

  const ClusterConfig& cluster_config(const Cluster& cluster) const {
    for (const ClusterConfig& config : scenario_.campuses[cluster.campus].clusters)
      if (config.name == cluster.name) return config;
    throw std::logic_error("cluster without configuration: " + cluster.name);
  }

  // Telemetry: every campus's means over the interval just ended.
  void on_tick() {
    ++events_;
    const double now = now_s();
    for (std::size_t c = 0; c < power_.size(); ++c) {
      CampusPowerSample sample = power_[c].sample(now);
      recorder_.sample(c, {last_tick_s_, sample.it_power_w, sample.facility_power_w, sample.gpus_busy, sample.carbon_kg,
                           sample.ambient_c, sample.pue, sample.carbon_g_per_kwh, sample.price_eur_per_mwh,
                           sample.cost_eur, sample.gpus_fragmented});
    }
    last_tick_s_ = now;
    if (now < horizon_s_) Timer::set(std::min(now + interval_s_, horizon_s_), [this] { on_tick(); });
  }

  // Starts jobs in `campus` for as long as the policy finds one that fits.
  void schedule(int campus) {
    auto& queue = queues_[campus];
    for (;;) {
      const CampusQueueView view{fleet_, campus, queue, jobs_, now_s(), &running_, &placement_, unplaceable_[campus]};
      auto decision = policy_.decide(view);
      if (!decision) {
        unplaceable_[campus] = policy_.unplaceable_prefix_after(view);
        return;
      }
      const std::uint64_t id = queue[decision->queue_position];
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(decision->queue_position));
      if (decision->queue_position < unplaceable_[campus]) --unplaceable_[campus];
      for (std::uint64_t victim : decision->preempt) preempt_job(victim);
      start_job(id, std::move(decision->placement));
    }
  }

  void start_job(std::uint64_t id, Placement placement) {
    ++jobs_started_;
    const Job& job = jobs_[id];
    const double now = now_s();
    const int cluster_index = placement.cluster;
    Cluster& cluster = fleet_.clusters[cluster_index];
    const double per_gpu_w = extra_power_per_gpu_w(job, cluster);
    int allocated = 0;  // GPUs newly taken from nodes
    if (placement.gpu_milli > 0) {
      if (placement.shared_slot >= 0) {
        cluster.shared.take(placement.shared_slot, placement.gpu_milli);
        cluster.state.take_host(cluster.shared.node_of(placement.shared_slot), placement.cpu_milli,
                                placement.memory_mib);
      } else {
        cluster.state.take(placement);
        placement.shared_slot = cluster.shared.open(placement.parts.front().first, placement.gpu_milli);
        allocated = 1;
      }
      racks_[cluster_index].add(cluster.shared.node_of(placement.shared_slot),
                                per_gpu_w * placement.gpu_milli / kMilliPerGpu);
    } else {
      cluster.state.take(placement);
      allocated = placement.gpus();
      for (const auto& [node, gpus] : placement.parts)
        racks_[cluster_index].add(node, per_gpu_w * job_gpus_on(job, gpus, allocated));
    }
    update_fragmentation(cluster_index, now, nodes_of(cluster, placement));
    power_[job.campus].change(now, per_gpu_w * job_gpu_share(job, placement), allocated);
    JobProgress& progress = progress_[id];
    if (std::isnan(progress.start_s)) {
      progress.start_s = now;
      progress.remaining_s = job.duration_s;
    }
    progress.run_start_s = now;
    progress.running = true;
    progress.placement = std::move(placement);
    // A power cap slows a job that would draw more than the cap (catalog throughput-vs-cap curve).
    const double rate = cluster.gpu->relative_throughput(job.gpu_utilization, cluster.power_cap_w);
    progress.rate = rate;
    const double end_s = now + progress.remaining_s / rate;
    const double estimated_end_s = now + (estimated_duration_s(job) - (job.duration_s - progress.remaining_s)) / rate;
    progress.running_entry =
        running_[cluster_index].emplace(std::max(now, estimated_end_s), RunningJob{allocated, id, now, &progress.placement});
    if (end_s <= horizon_s_) progress.end_timer = Timer::set(end_s, [this, id] { on_job_end(id); });
  }

  // IT power one GPU of the job adds above idle: the GPU (under its cluster's cap) and its share of the
  // node's non-GPU power rising with utilisation. GPUs a job holds but does not use (the rest of a whole
  // node) stay at idle power.
  static double extra_power_per_gpu_w(const Job& job, const Cluster& cluster) {
    return cluster.gpu->power_w(job.gpu_utilization, cluster.power_cap_w) - cluster.gpu->idle_w +
           cluster.node->base_extra_per_gpu_w(job.gpu_utilization);
  }
  // GPUs' worth of work the job runs: its GPUs, or its share of one shared GPU.
  static double job_gpu_share(const Job& job, const Placement& placement) {
    return placement.gpu_milli > 0 ? static_cast<double>(placement.gpu_milli) / kMilliPerGpu : job.gpus;
  }
  // GPUs of the job that run on a placement part of `taken` of its `allocated` GPUs (a whole-node job may
  // not use every GPU it holds).
  static double job_gpus_on(const Job& job, int taken, int allocated) {
    return static_cast<double>(taken) * job.gpus / allocated;
  }

  JobRecord job_record(const Job& job) const {
    const JobProgress& progress = progress_[job.id];
    JobRecord record;
    record.id = job.id;
    record.name = job.name;
    record.campus = fleet_.campuses[job.campus].name;
    record.gpus = job.gpus;
    record.gpu_share = requested_gpus(job);
    record.submit_s = job.submit_s;
    record.start_s = progress.start_s;
    record.end_s = progress.end_s;
    record.estimate_s = estimated_duration_s(job);
    record.bounded_slowdown = kNaN;
    if (std::isnan(progress.start_s)) {
      record.state = JobState::queued;
      return record;
    }
    const Cluster& cluster = fleet_.clusters[progress.placement.cluster];
    record.cluster = cluster.name;
    // A preempted job waiting to run again at the horizon is queued, though it has a start time.
    record.state = !std::isnan(progress.end_s) ? JobState::completed
                   : progress.running           ? JobState::running
                                                : JobState::queued;
    record.gpu_power_w = cluster.gpu->power_w(job.gpu_utilization, cluster.power_cap_w);
    record.power_cap_w = cluster.power_cap_w > 0 ? cluster.power_cap_w : kNaN;
    record.preemptions = progress.preemptions;
    record.work_lost_gpu_s = progress.work_lost_gpu_s;
    // Finished runs, plus the current one up to the horizon if it still runs (a preempted job waiting in the
    // queue has none).
    record.energy_j = progress.energy_j + (progress.running ? job_gpu_share(job, progress.placement) *
                                                                  record.gpu_power_w * (horizon_s_ - progress.run_start_s)
                                                            : 0.0);
    if (record.state == JobState::completed) {
      // Bounded slowdown with a 10 s bound (Feitelson et al., "Theory and Practice in Parallel Job Scheduling", 1997).
      const double run_s = progress.end_s - progress.start_s;
      record.bounded_slowdown = std::max(1.0, (progress.end_s - job.submit_s) / std::max(run_s, 10.0));
    }
    return record;
  }

  Fleet& fleet_;
  const std::vector<Job>& jobs_;
  const SchedulerPolicy& policy_;
  Recorder& recorder_;
  const double horizon_s_;
  const double interval_s_;
  std::vector<std::deque<std::uint64_t>> queues_;
  std::vector<std::size_t> unplaceable_;        // per campus: queue-front jobs known not to fit (CampusQueueView)
  std::vector<CampusPower> power_;
  std::vector<JobProgress> progress_;
  const Scenario& scenario_;
  const long long offset_hours_;
  std::vector<RunningJobs> running_;            // per cluster, by estimated end
  std::vector<PlacementContext> placement_;     // per cluster
  std::vector<double> cluster_fragmented_;      // fragmented GPUs now, per cluster
  std::vector<double> campus_fragmented_;       // and per campus
  std::vector<std::vector<double>> node_fragmented_;  // per cluster and node, with GPU sharing (FGD's measure)
  bool hourly_ = false;
  std::vector<RackPower> racks_;
  std::size_t next_arrival_ = 0;
  double last_tick_s_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t jobs_started_ = 0;
  std::uint64_t jobs_completed_ = 0;
  std::uint64_t preemptions_ = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

EngineStats run_simulation(const Scenario& scenario, Fleet& fleet, const std::vector<Job>& jobs,
                           const SchedulerPolicy& policy, Recorder& recorder, const EngineOptions& options) {
  static bool ran = false;
  if (ran) throw std::logic_error("SimGrid allows one simulation per process");
  ran = true;

  EngineStats stats;
  const auto build_start = std::chrono::steady_clock::now();
  sg4::Engine engine("fleetsim");
  xbt_log_control_set("root.thres:critical");
  if (options.on_engine_created) options.on_engine_created();
  stats.platform_hosts = build_platform(fleet).hosts;
  stats.platform_build_wall_s = seconds_since(build_start);

  const auto run_start = std::chrono::steady_clock::now();
  Simulation simulation(scenario, fleet, jobs, policy, recorder);
  simulation.start();
  const double horizon_s = scenario.simulation.duration_s;
  const int steps = std::max(1, options.progress_steps);
  for (int step = 1; step <= steps; ++step) {
    const double until_s = step == steps ? horizon_s : horizon_s * step / steps;
    if (until_s > now_s()) engine.run_until(until_s);
    if (options.on_progress) options.on_progress({now_s(), horizon_s, simulation.events()});
  }
  engine.run();  // events due exactly at the horizon; none is ever set later
  simulation.finish();
  stats.run_wall_s = seconds_since(run_start);
  stats.events = simulation.events();
  stats.jobs_started = simulation.jobs_started();
  stats.jobs_completed = simulation.jobs_completed();
  return stats;
}

}  // namespace fleetsim
