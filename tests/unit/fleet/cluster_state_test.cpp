#include <catch2/catch.hpp>

#include "sim/fleet/cluster_state.hpp"

using namespace fleetsim;

TEST_CASE("a new cluster has every node fully free") {
  ClusterState cluster(4, 8);
  CHECK(cluster.free_gpus() == 32);
  CHECK(cluster.nodes_with_free(8).size() == 4);
  for (int free = 0; free < 8; ++free) CHECK(cluster.nodes_with_free(free).empty());
}

TEST_CASE("taking and giving back GPUs moves nodes between free-count buckets") {
  ClusterState cluster(3, 8);
  Placement small{0, {{1, 3}}};
  Placement whole{0, {{0, 8}, {2, 8}}};
  cluster.take(small);
  cluster.take(whole);
  CHECK(cluster.free_gpus() == 5);
  CHECK(cluster.free_gpus_on(1) == 5);
  CHECK(cluster.nodes_with_free(5) == std::vector<int>{1});
  CHECK(cluster.nodes_with_free(0).empty());  // full nodes are in no bucket
  cluster.give_back(whole);
  cluster.give_back(small);
  CHECK(cluster.free_gpus() == 24);
  CHECK(cluster.nodes_with_free(8).size() == 3);
  CHECK(cluster.nodes_with_free(0).empty());
}
