// Dispatch across campuses (issue 15). A dispatchable job (campus = "any", a list, or region) is sent at submission
// to the campus the [dispatch] policy chooses (sim/scheduling/dispatch.hpp) among its candidates where it fits and
// its dataset can reach; every `reconsider` interval the jobs still queued that have never started may move to a
// campus where they would start at once. A job sent to a campus that lacks its dataset waits, out of every queue,
// until the dataset has crossed the [[link]] from its data campus: a SimGrid flow between the two campuses'
// gateway hosts, sharing the fibre's bandwidth max-min fairly with the other transfers under way. A campus that
// received a job's dataset keeps it. Each decision costs O(candidates); reconsidering costs O(campuses) when no
// campus could start a job at once, else one decision per queued dispatchable job.
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>

#include "sim/engine/kernel.hpp"

#include <cmath>
#include <unordered_map>

#include "sim/power/power_meter.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

namespace {
namespace sg4 = simgrid::s4u;
}  // namespace

struct Kernel::Transfers {
  struct Flow {
    sg4::CommPtr comm;
    std::uint64_t id = 0;
    int from = 0;
    double bytes = 0;
    double start_s = 0;
  };
  std::unordered_map<const sg4::Activity*, Flow> under_way;
  std::vector<sg4::CommPtr> finished;  // released outside SimGrid's completion callback
  std::vector<sg4::Host*> gateways;    // per campus
  bool stopped = false;
};

namespace {
// SimGrid's completion signal is global: it reaches the one kernel of the process while it exists.
Kernel* g_kernel = nullptr;
}  // namespace

Kernel::~Kernel() {
  if (g_kernel == this) g_kernel = nullptr;
}

void Kernel::start_dispatch() {
  if (!dispatching_) return;
  transfers_ = std::make_shared<Transfers>();
  for (const Campus& campus : fleet_.campuses) transfers_->gateways.push_back(sg4::Host::by_name_or_null(campus.name + "/gateway"));
  g_kernel = this;
  static bool connected = false;
  if (!connected) {
    connected = true;
    sg4::Activity::on_completion_cb([](const sg4::Activity& activity) {
      Kernel* kernel = g_kernel;
      if (!kernel || !kernel->transfers_) return;
      Transfers& transfers = *kernel->transfers_;
      const auto found = transfers.under_way.find(&activity);
      if (found == transfers.under_way.end()) return;
      const Transfers::Flow flow = found->second;
      transfers.under_way.erase(found);
      transfers.finished.push_back(flow.comm);
      if (transfers.stopped || activity.get_state() != sg4::Activity::State::FINISHED) return;
      kernel->on_transfer_done(flow.id, flow.from, flow.bytes, flow.start_s);
    });
  }
  const double every_s = dispatcher_->config().reconsider_s;
  if (every_s > 0 && every_s < horizon_s_) Timer::set(every_s, [this] { reconsider(); });
}

void Kernel::stop_transfers() {
  if (!transfers_) return;
  transfers_->stopped = true;
  std::vector<sg4::CommPtr> comms;
  for (const auto& [activity, flow] : transfers_->under_way) comms.push_back(flow.comm);
  for (const sg4::CommPtr& comm : comms) comm->cancel();
}

const FleetLink* Kernel::link_between(int a, int b) const {
  for (const FleetLink& link : fleet_.links)
    if ((link.from == a && link.to == b) || (link.from == b && link.to == a)) return &link;
  return nullptr;
}

double Kernel::queued_work(const Job& job) const { return requested_gpus(job) * estimated_duration_s(job); }

void Kernel::count_queued(int campus, const Job& job, int sign) {
  queued_gpu_s_[campus] = std::max(0.0, queued_gpu_s_[campus] + sign * queued_work(job));
}

void Kernel::count_running(const Run& run, int sign) {
  const Job& job = jobs_[run.id];
  const int campus = fleet_.clusters[run.placement.cluster].campus;
  running_end_gpu_s_[campus] += sign * requested_gpus(job) * run.dispatch_end_s;
  running_gpus_[campus] += sign * requested_gpus(job);
}

// Nothing waits there (queued or moving its data there): a job that fits its free GPUs would start at once.
bool Kernel::open(int campus) const { return queues_[campus].empty() && transfers_to_[campus] == 0; }

// Whether a cluster of `campus` has the job's GPUs free now (for a training run, a cluster its plan fits).
bool Kernel::fits_now(const Job& job, int campus) const {
  const ClusterSpeed* speeds = job.training_by_campus ? job.training_by_campus[campus]->speeds.data() : job.speeds;
  for (int index : fleet_.campuses[campus].clusters) {
    const Cluster& cluster = fleet_.clusters[index];
    if (job.gpu_types != 0 && !((job.gpu_types >> cluster.gpu_type) & 1)) continue;
    if (speeds && !speeds[cluster.campus_position].allowed) continue;
    if (cluster.state.fits(job.gpus)) return true;
  }
  return false;
}

// The dataset alone on the link from its data campus (0 where it is already).
double Kernel::transfer_estimate_s(const Job& job, int campus) const {
  const DispatchSlot& slot = dispatch_[job.id];
  const double bytes = job.dispatch->dataset_bytes;
  if (bytes <= 0 || campus == slot.data_campus || campus == slot.copy) return 0;
  const FleetLink* link = link_between(slot.data_campus, campus);
  return link->latency_s + bytes / link->bytes_per_s;
}

// The job's candidates as the policy sees them now, in campus order, leaving out `exclude` and the campuses where
// it does not fit or its dataset cannot go.
void Kernel::candidates_for(const Job& job, int exclude) {
  outlooks_.clear();
  const DispatchSlot& slot = dispatch_[job.id];
  const double now = now_s();
  for (int c : job.dispatch->campuses) {
    if (c == exclude || largest_gpus_[c] < job.gpus) continue;
    if (job.training_by_campus && !job.training_by_campus[c]) continue;
    if (job.dispatch->dataset_bytes > 0 && c != slot.data_campus && c != slot.copy && !link_between(slot.data_campus, c))
      continue;
    CampusOutlook outlook;
    outlook.campus = c;
    outlook.starts_now = open(c) && fits_now(job, c);
    double pool_gpus = 0;
    for (int index : fleet_.campuses[c].clusters)
      pool_gpus += double(fleet_.clusters[index].state.available_nodes()) * fleet_.clusters[index].state.gpus_per_node();
    const double running_left = std::max(0.0, running_end_gpu_s_[c] - now * running_gpus_[c]);
    outlook.wait_s = transfer_estimate_s(job, c) +
                     (outlook.starts_now ? 0.0
                      : pool_gpus > 0 ? (queued_gpu_s_[c] + running_left) / pool_gpus
                                      : std::numeric_limits<double>::infinity());
    const CampusPower& power = power_->campus(c);
    const CampusFactors& factors = power.factors();
    outlook.carbon_g_per_kwh = factors.carbon_kg_per_j * factors.pue * 3.6e9;
    outlook.price_eur_per_mwh = factors.price_eur_per_j * factors.pue * 3.6e9;
    // Under the budget now: the grid connection, or less during a grid event ([power]).
    outlook.headroom_w = power.budget_w() - power.it_power_w() * factors.pue;
    outlooks_.push_back(outlook);
  }
}

// Sets what depends on the campus: for a training run, its plan there (speeds, work in that campus's reference
// step time, the estimate scaled alike). Only before its first start.
void Kernel::assign_campus(Job& job, int campus) {
  if (job.training_by_campus) {
    const TrainingJobConfig& training = *job.training_by_campus[campus];
    const double estimate_factor = std::isnan(job.estimate_s) ? 1.0 : job.estimate_s / job.duration_s;
    job.training = &training;
    job.speeds = training.speeds.data();
    job.duration_s = double(training.steps) * training.step_time_s;
    if (!std::isnan(job.estimate_s)) job.estimate_s = job.duration_s * estimate_factor;
    job_[job.id].remaining = job.duration_s;
  }
  job.campus = campus;
}

void Kernel::dispatch_arrival(Job& job) {
  DispatchSlot& slot = dispatch_[job.id];
  slot.data_campus = job.dispatch->data_campus >= 0 ? job.dispatch->data_campus : job.campus;
  candidates_for(job, -1);
  const auto choice = dispatcher_->choose(outlooks_);
  if (!choice) slot.data_campus = job.campus;  // its dataset reaches no campus it fits: it stays home, data and all
  send(job, choice ? outlooks_[*choice].campus : job.campus, true);
}

// Sends `job` to `campus`: its queue, or first its dataset's transfer there. The caller schedules the campus.
void Kernel::send(Job& job, int campus, bool at_submission) {
  const int from = job.campus;
  const double now = now_s();
  if (!at_submission) count_queued(from, job, -1);
  assign_campus(job, campus);
  count_queued(campus, job, +1);
  lifecycle_.job_dispatched(JobDispatch{job, from, campus, now, at_submission});
  DispatchSlot& slot = dispatch_[job.id];
  const double bytes = job.dispatch->dataset_bytes;
  if (bytes <= 0 || campus == slot.data_campus || campus == slot.copy) {
    queues_[campus].push_back(job.id);
    return;
  }
  slot.in_transfer = true;
  ++transfers_to_[campus];
  Transfers& transfers = *transfers_;
  transfers.finished.clear();
  sg4::CommPtr comm = sg4::Comm::sendto_init(transfers.gateways[slot.data_campus], transfers.gateways[campus]);
  comm->set_payload_size(static_cast<std::uint64_t>(std::llround(bytes)));
  transfers.under_way.emplace(comm.get(), Transfers::Flow{comm, job.id, slot.data_campus, bytes, now});
  comm->start();
}

void Kernel::on_transfer_done(std::uint64_t id, int from, double bytes, double start_s) {
  ++events_;
  Job& job = jobs_[id];
  DispatchSlot& slot = dispatch_[id];
  slot.in_transfer = false;
  slot.copy = job.campus;
  --transfers_to_[job.campus];
  queues_[job.campus].push_back(id);
  lifecycle_.data_moved(DataMove{job, from, job.campus, bytes, start_s, now_s()});
  schedule(job.campus);
}

// Every `reconsider` interval: queued jobs that have never started may move where they would start at once.
void Kernel::reconsider() {
  ++events_;
  const double now = now_s();
  for (std::size_t c = 0; c < queues_.size(); ++c)
    if (!queues_[c].empty()) reconsider_campus(static_cast<int>(c));
  const double every_s = dispatcher_->config().reconsider_s;
  if (now + every_s < horizon_s_) Timer::set(now + every_s, [this] { reconsider(); });
}

// The largest job (GPUs) some other campus than `campus` could start at once, 0 if none: where nothing waits, a
// cluster's largest free share of one node, or its whole free nodes.
long long Kernel::largest_start_elsewhere(int campus) const {
  long long largest = 0;
  for (std::size_t c = 0; c < queues_.size(); ++c) {
    if (static_cast<int>(c) == campus || !open(static_cast<int>(c))) continue;
    for (int index : fleet_.campuses[c].clusters) {
      const ClusterState& state = fleet_.clusters[index].state;
      const long long whole = static_cast<long long>(state.nodes_with_free(state.gpus_per_node()).size()) * state.gpus_per_node();
      largest = std::max({largest, whole, static_cast<long long>(state.largest_free_on_a_node())});
    }
  }
  return largest;
}

// The first kReconsiderDepth jobs of one campus's queue (those waiting longest): each that has never started may
// move to a campus where it starts at once. Returns whether one moved. A job larger than any campus could start now
// is passed over without a decision, and the pass ends when no campus can start anything.
bool Kernel::reconsider_campus(int campus) {
  long long largest = largest_start_elsewhere(campus);
  if (largest == 0) return false;
  std::deque<std::uint64_t>& queue = queues_[campus];
  const std::size_t looked = std::min(queue.size(), kReconsiderDepth);
  std::vector<std::uint64_t> head(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(looked));
  queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(looked));
  std::vector<std::uint64_t> kept;
  const std::size_t prefix = unplaceable_[campus];
  std::size_t kept_prefix = 0;
  bool moved = false;
  for (std::size_t i = 0; i < head.size(); ++i) {
    const std::uint64_t id = head[i];
    Job& job = jobs_[id];
    if (largest > 0 && job.gpus <= largest && job.dispatch && !dispatch_[id].started) {
      candidates_for(job, campus);
      if (const auto choice = dispatcher_->choose_move(outlooks_)) {
        const int to = outlooks_[*choice].campus;
        send(job, to, false);
        if (!dispatch_[id].in_transfer) schedule(to);
        moved = true;
        largest = largest_start_elsewhere(campus);
        continue;
      }
    }
    if (i < prefix) ++kept_prefix;
    kept.push_back(id);
  }
  queue.insert(queue.begin(), kept.begin(), kept.end());
  unplaceable_[campus] = kept_prefix + (prefix > looked ? prefix - looked : 0);
  if (moved) schedule(campus);  // the jobs left may start now (a blocking head may have gone)
  return moved;
}

}  // namespace fleetsim
