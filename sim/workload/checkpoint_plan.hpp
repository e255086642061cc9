#pragma once
// What a job's checkpoint settings resolve to (sim/scenario CheckpointConfig -> Job): the interval (`auto`: Daly's
// optimum for the job's expected time between failures), the time each checkpoint blocks the job, and the restart
// overhead after an interruption. What an interruption then keeps is sim/reliability/checkpoint_restart.hpp.
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// Daly's optimum checkpoint interval (J. T. Daly, "A higher order estimate of the optimum checkpoint interval for
// restart dumps", Future Generation Computer Systems 22 (2006) 303-312, eq. 37): for a write time delta and a mean
// time between failures M, sqrt(2 delta M) [1 + sqrt(delta / 2M) / 3 + (delta / 2M) / 9] - delta when delta < 2M,
// else M. Work between checkpoints, in seconds.
double daly_interval_s(double write_s, double mtbf_s);

// The job's mean time between failures under the scenario's failure rates: its GPUs times the GPU classes' rates
// plus its nodes times the node classes'; infinite when nothing fails.
double job_mtbf_s(const Scenario& scenario, int gpus, int gpus_per_node);

// Sets job.checkpoint_interval_s, checkpoint_write_s and restart_s from `checkpoint` (the job's or its workload's).
// The write time, when not given, is a training run's checkpoint (bf16 weights and fp32 master weights and Adam
// moments: 14 B per parameter) over its campus's storage bandwidth, else 0; `async` of it overlaps training and
// does not block. `auto` without failures: no checkpoints.
void plan_checkpoint(Job& job, const CheckpointConfig& checkpoint, const Scenario& scenario);

}  // namespace fleetsim
