#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "sim/core/input_error.hpp"
#include "sim/scenario/openb_node_list.hpp"
#include "sim/workload/trace/openb_reader.hpp"
#include "tests/support/trace_files.hpp"

using namespace fleetsim;
using namespace fleetsim::testing;

namespace {
// Real samples shipped with the project (data/traces/alibaba-openb-2023/PROVENANCE.md).
const std::string kSampleDir = std::string(FLEETSIM_SOURCE_DIR) + "/data/traces/alibaba-openb-2023/";
const std::string kPods = kSampleDir + "openb_pod_list_default_first300.csv";
const std::string kNodes = kSampleDir + "openb_node_list_gpu_node.csv";
const std::string kPodHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
}  // namespace

TEST_CASE("openb pod sample: 300 pods in file order, mapped as the upstream README defines the columns") {
  auto reader = open_openb_trace(kPods, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 300);
  CHECK(reader->bad_rows() == 0);

  // openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
  CHECK(jobs[0].id == "openb-pod-0000");
  CHECK(jobs[0].submit_s == 0);
  CHECK(jobs[0].duration_s == 12537496);
  CHECK(jobs[0].gpus == 1);
  CHECK(jobs[0].nodes == 1);
  CHECK(jobs[0].gpu_model.empty());
  CHECK(jobs[0].qos == "LS");
  CHECK(jobs[0].status == "Running");
  CHECK(jobs[0].user.empty());
  CHECK(std::isnan(jobs[0].estimate_s));

  // A GPU-sharing pod: openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061 -> 460 milli-GPU.
  CHECK(jobs[1].id == "openb-pod-0001");
  CHECK(jobs[1].gpus == Approx(0.46));
  CHECK(jobs[1].submit_s == 427061);
  CHECK(jobs[1].duration_s == 12902960 - 427061);

  // A CPU-only pod scheduled 2 s after creation: openb-pod-0005,20000,65536,0,0,,LS,Running,2759674,12902960,2759676
  CHECK(jobs[5].id == "openb-pod-0005");
  CHECK(jobs[5].gpus == 0);
  CHECK(jobs[5].submit_s == 2759674);
  CHECK(jobs[5].duration_s == 12902960 - 2759676);

  // An 8-GPU pod: openb-pod-0017,88000,327680,8,1000,,Burstable,Succeeded,9437497,10769854,9437497
  CHECK(jobs[17].id == "openb-pod-0017");
  CHECK(jobs[17].gpus == 8);
  CHECK(jobs[17].qos == "Burstable");
  CHECK(jobs[17].status == "Succeeded");
  CHECK(jobs[17].duration_s == 10769854 - 9437497);

  // Never scheduled (empty scheduled_time): duration is deletion - creation, the time it waited.
  // openb-pod-0061,11908,47104,1,1000,,BE,Pending,10001278,10001403,
  CHECK(jobs[61].id == "openb-pod-0061");
  CHECK(jobs[61].status == "Pending");
  CHECK(jobs[61].submit_s == 10001278);
  CHECK(jobs[61].duration_s == 125);

  // openb-pod-0299,11908,47104,1,1000,,BE,Running,10123064,10123745,10123133
  CHECK(jobs[299].id == "openb-pod-0299");
  CHECK(jobs[299].submit_s == 10123064);
  CHECK(jobs[299].duration_s == 10123745 - 10123133);

  // Counted with awk on the file (PROVENANCE.md): 103 sharing pods, 22 Pending, 236.72 GPUs requested.
  int sharing = 0, pending = 0;
  double gpus = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    sharing += jobs[i].gpus > 0 && jobs[i].gpus < 1;
    pending += jobs[i].status == "Pending";
    gpus += jobs[i].gpus;
    if (i) CHECK(jobs[i - 1].submit_s <= jobs[i].submit_s);
  }
  CHECK(sharing == 103);
  CHECK(pending == 22);
  CHECK(gpus == Approx(236.72));
}

TEST_CASE("openb gpu_spec keeps the '|'-separated list of allowed models as written, and CRLF and blank lines pass") {
  // Lines 11 and 23 of the upstream openb_pod_list_gpuspec33.csv (real rows), with CRLF line ends added.
  const std::string path = temp_file(
      "openb_spec.csv", kPodHeader +
                            "openb-pod-0009,12000,16384,1,1000,V100M16|V100M32,LS,Running,4975773,12902960,4975773\r\n"
                            "\r\n"
                            "openb-pod-0021,8000,30517,1,440,G2|P100|T4|V100M16|V100M32,LS,Running,9671707,"
                            "12902960,9671708\r\n\n");
  auto reader = open_openb_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].gpu_model == "V100M16|V100M32");
  CHECK(jobs[0].gpus == 1);
  CHECK(jobs[1].gpu_model == "G2|P100|T4|V100M16|V100M32");
  CHECK(jobs[1].gpus == Approx(0.44));
  CHECK(jobs[1].duration_s == 12902960 - 9671708);
}

TEST_CASE("openb malformed pod row is an error naming file, line and column, skip_bad_rows counts it instead") {
  const std::string good = "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,100,0\n";
  struct Case {
    std::string row;
    std::string message;  // after "PATH:3: "
  };
  const std::vector<Case> cases = {
      {"openb-pod-0001,6000,12288,two,460,,LS,Running,5,100,5", "num_gpu: must be a whole number from 0 to 2147483647 (got two)"},
      {"openb-pod-0001,6000,12288,1,1500,,LS,Running,5,100,5",
       "gpu_milli: must be a whole number from 0 to 1000 (got 1500)"},
      {"openb-pod-0001,6000,12288,1,460,,LS,Running,,100,5", "creation_time: must be a number >= 0 (got an empty field)"},
      {"openb-pod-0001,6000,12288,1,460,,LS,Running,5,100,4",
       "scheduled_time: must not be before creation_time 5 (got 4)"},
      {"openb-pod-0001,6000,12288,1,460,,LS,Running,5,50,60",
       "deletion_time: must not be before scheduled_time 60 (got 50)"},
      {"openb-pod-0001,6000,12288,1,460,,LS,Pending,5,4,", "deletion_time: must not be before creation_time 5 (got 4)"},
      {"openb-pod-0001,6000,12288,1,460,LS,Running,5,100,5", "row: expected 11 fields like the header (got 10)"},
      {",6000,12288,1,460,,LS,Running,5,100,5", "name: must not be empty (got an empty field)"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string path =
        temp_file("openb_bad" + std::to_string(i) + ".csv", kPodHeader + good + cases[i].row + "\n" + good);
    const std::string expected = path + ":3: " + cases[i].message;
    INFO(cases[i].row);
    check_one_bad_row_skipped(open_openb_trace, path, expected);
  }
}

TEST_CASE("openb multigpu50 list (5 columns, no times) is rejected naming the missing columns") {
  // The first two lines of the upstream openb_pod_list_multigpu50.csv.
  const std::string path = temp_file(
      "openb_multigpu50.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nopenb-pod-0000,12000,16384,1,1000\n");
  CHECK_THROWS_WITH(open_openb_trace(path, {}),
                    path +
                        ":1: header: missing columns creation_time, deletion_time, scheduled_time "
                        "(got name,cpu_milli,memory_mib,num_gpu,gpu_milli)");
  CHECK_THROWS_WITH(open_openb_trace(temp_file("openb_empty.csv", ""), {}),
                    Catch::Contains(":0: header: missing: the file is empty, a header line was expected"));
  CHECK_THROWS_WITH(open_openb_trace("/nonexistent/pods.csv", {}),
                    Catch::StartsWith("/nonexistent/pods.csv:0: file: cannot be opened"));
  CHECK_THROWS_AS(open_openb_trace("/nonexistent/pods.csv", {}), InputError);
}

TEST_CASE("openb GPU node list: 1,213 nodes with 6,212 GPUs, per model as in PROVENANCE.md") {
  const auto nodes = read_openb_nodes(kNodes);
  REQUIRE(nodes.size() == 1213);
  // openb-node-0000,64000,262144,2,P100
  CHECK(nodes[0].name == "openb-node-0000");
  CHECK(nodes[0].cpu_milli == 64000);
  CHECK(nodes[0].memory_mib == 262144);
  CHECK(nodes[0].gpus == 2);
  CHECK(nodes[0].model == "P100");
  // openb-node-1212,96000,393216,8,G2
  CHECK(nodes.back().name == "openb-node-1212");
  CHECK(nodes.back().gpus == 8);
  CHECK(nodes.back().model == "G2");

  int gpus = 0;
  std::map<std::string, int> by_model;
  for (const auto& node : nodes) {
    gpus += node.gpus;
    by_model[node.model] += node.gpus;
  }
  CHECK(gpus == 6212);
  CHECK(by_model ==
        std::map<std::string, int>{
            {"A10", 2}, {"G2", 4392}, {"G3", 312}, {"P100", 265}, {"T4", 842}, {"V100M16", 195}, {"V100M32", 204}});
}

TEST_CASE("openb node list: CPU-only nodes have no model, and a malformed row names file, line and column") {
  const std::string header = "sn,cpu_milli,memory_mib,gpu,model\n";
  // First rows of the upstream openb_node_list_all_node.csv (CPU-only) and of the GPU list.
  const auto nodes = read_openb_nodes(
      temp_file("openb_all.csv", header + "openb-node-0000,32000,262144,0,\nopenb-node-0228,128000,786432,8,G3\n"));
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].gpus == 0);
  CHECK(nodes[0].model.empty());
  CHECK(nodes[1].cpu_milli == 128000);

  const std::string bad_gpu = temp_file("openb_bad_gpu.csv", header + "n0,32000,262144,0,\nn1,96000,786432,8x,G2\n");
  CHECK_THROWS_WITH(read_openb_nodes(bad_gpu), bad_gpu + ":3: gpu: must be a whole number from 0 to 1024 (got 8x)");
  const std::string no_model = temp_file("openb_no_model.csv", header + "n1,96000,786432,8,\n");
  CHECK_THROWS_WITH(read_openb_nodes(no_model),
                    no_model + ":2: model: must name the GPU model of a node with GPUs (got an empty field)");
  const std::string no_sn = temp_file("openb_no_sn.csv", "name,cpu_milli,memory_mib,gpu,model\n");
  CHECK_THROWS_WITH(read_openb_nodes(no_sn),
                    no_sn + ":1: header: missing column sn (got name,cpu_milli,memory_mib,gpu,model)");
}
