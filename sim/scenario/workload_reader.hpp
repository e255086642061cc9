#pragma once
// Reading [[job]] and [[workload]] entries of a scenario.
#include <map>
#include <string>

#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// Step times already computed while one scenario loads, by model, plan, node, fabric and power cap: a training
// mix placed on many campuses of the same hardware, or many [[job]]s of one plan, evaluate the model once.
class StepTimeCache {
 public:
  // The step on this hardware (computing it the first time).
  const training::StepBreakdown& step(const hw::ModelSpec& model, const training::TrainingPlan& plan,
                                      const training::Machine& machine, const std::string& hardware_key);
  std::size_t evaluations() const { return evaluations_; }

 private:
  std::map<std::string, training::StepBreakdown> steps_;
  std::size_t evaluations_ = 0;
};

JobConfig read_job(TomlReader& reader, const Scenario& scenario, StepTimeCache& steps);
// Reads one [[workload]] into scenario.workloads (kind synthetic) or scenario.traces (kind trace).
void read_workload(TomlReader& reader, Scenario& scenario, std::size_t index, StepTimeCache& steps);

// Largest job (GPUs) that campus `campus` can ever run.
long long largest_job_gpus(const Scenario& scenario, const CampusConfig& campus);
// GPUs installed in campus `campus` (all its clusters).
long long campus_gpus(const Scenario& scenario, const CampusConfig& campus);

// Largest trace inflate_to: copies up to ten times the campus's GPUs (FGD's experiments use 1.3).
constexpr double kMaxInflation = 10.0;

}  // namespace fleetsim
