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

TEST_CASE("a node out of the pool is in no bucket and its GPUs are not free, and its jobs give GPUs back as usual") {
  ClusterState cluster(3, 8);
  cluster.take({0, {{1, 5}}});  // node 1: 3 free
  cluster.set_available(1, false);
  CHECK(cluster.free_gpus() == 16);
  CHECK(cluster.free_gpus_on(1) == 0);
  CHECK(cluster.idle_gpus_on(1) == 3);
  CHECK(cluster.nodes_with_free(3).empty());
  CHECK_FALSE(cluster.host_fits(1, 0, 0));
  cluster.give_back({0, {{1, 5}}});  // the job on it ends: still out of the pool, now idle
  CHECK(cluster.idle_gpus_on(1) == 8);
  CHECK(cluster.free_gpus() == 16);
  CHECK(cluster.nodes_with_free(8).size() == 2);
  cluster.set_available(1, true);
  CHECK(cluster.free_gpus() == 24);
  CHECK(cluster.nodes_with_free(8).size() == 3);
  CHECK(cluster.available_nodes() == 3);
  // Taking the last whole node out leaves the largest free count right.
  cluster.take({0, {{0, 8}, {2, 8}}});
  CHECK(cluster.largest_free_on_a_node() == 8);
  cluster.set_available(1, false);
  CHECK(cluster.largest_free_on_a_node() == 0);
  CHECK_FALSE(cluster.fits(1));
}

TEST_CASE("a placement's holder tag is kept on the nodes it takes whole, and only until they are given back") {
  ClusterState cluster(4, 8);
  for (int node = 0; node < 4; ++node) CHECK(cluster.whole_holder(node) == -1);
  const Placement big{0, {{0, 8}, {1, 8}, {2, 3}}};  // two whole nodes and part of a third
  cluster.take(big, 7);
  CHECK(cluster.whole_holder(0) == 7);
  CHECK(cluster.whole_holder(1) == 7);
  CHECK(cluster.whole_holder(2) == -1);  // held in part: the engine's own index covers it
  const Placement small{0, {{2, 5}}};     // the rest of node 2: whole for the node, not for this run
  cluster.take(small, 9);
  CHECK(cluster.whole_holder(2) == -1);
  cluster.give_back(big);
  for (int node = 0; node < 4; ++node) CHECK(cluster.whole_holder(node) == -1);
  cluster.take(Placement{0, {{3, 8}}});  // untagged
  CHECK(cluster.whole_holder(3) == -1);
}
