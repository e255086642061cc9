#include <catch2/catch.hpp>

#include "sim/scheduling/placement.hpp"

using namespace fleetsim;

TEST_CASE("a job that fits in a node goes to the fullest node that still holds it") {
  ClusterState cluster(3, 8);
  cluster.take({0, {{0, 6}}});  // node 0: 2 free
  cluster.take({0, {{1, 3}}});  // node 1: 5 free
  auto two = best_fit_placement(cluster, 0, 2);
  REQUIRE(two);
  CHECK(two->parts == std::vector<std::pair<int, int>>{{0, 2}});
  auto four = best_fit_placement(cluster, 0, 4);
  REQUIRE(four);
  CHECK(four->parts == std::vector<std::pair<int, int>>{{1, 4}});
  auto eight = best_fit_placement(cluster, 0, 8);
  REQUIRE(eight);
  CHECK(eight->parts == std::vector<std::pair<int, int>>{{2, 8}});
}

TEST_CASE("a job larger than a node takes whole free nodes or does not start") {
  ClusterState cluster(3, 8);
  auto twelve = best_fit_placement(cluster, 0, 12);
  REQUIRE(twelve);
  CHECK(twelve->parts.size() == 2);
  CHECK(twelve->gpus() == 16);
  cluster.take({0, {{1, 1}}});
  CHECK_FALSE(best_fit_placement(cluster, 0, 24));  // 23 GPUs free, but only 2 whole nodes
  CHECK(best_fit_placement(cluster, 0, 16));
}

TEST_CASE("a small job never spans nodes even when GPUs are free across them") {
  ClusterState cluster(2, 8);
  cluster.take({0, {{0, 5}}});
  cluster.take({0, {{1, 5}}});
  CHECK(cluster.free_gpus() == 6);
  CHECK_FALSE(best_fit_placement(cluster, 0, 4));
  CHECK(best_fit_placement(cluster, 0, 3));
}
