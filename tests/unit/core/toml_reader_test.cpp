#include <catch2/catch.hpp>

#include "sim/core/toml_reader.hpp"

using namespace fleetsim;

namespace {
toml::table parse_text(const char* text) { return toml::parse(std::string_view(text), std::string_view("f.toml")); }

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("typed reads accept integers as numbers and name file, line and key on errors") {
  toml::table table = parse_text("a = 1\nb = 2.5\nc = \"x\"\nd = -3\ne = \"5min\"\n");
  TomlReader reader(table, "f.toml", "top");
  CHECK(reader.number("a") == 1.0);
  CHECK(reader.positive_number("b") == 2.5);
  CHECK(error_of([&] { reader.number("c"); }) == "f.toml:3: top.c: must be a number (got \"x\" (string))");
  CHECK(error_of([&] { reader.positive_integer("d"); }) == "f.toml:4: top.d: must be > 0 (got -3 (integer))");
  CHECK(error_of([&] { reader.integer("b"); }) == "f.toml:2: top.b: must be an integer (got 2.5 (float))");
  CHECK(reader.positive_duration_s("e") == 300.0);
  CHECK(error_of([&] { reader.number("missing"); }) == "f.toml:1: top.missing: required key is missing");
}

TEST_CASE("a key never read is an unknown key at its own line") {
  toml::table table = parse_text("[s]\nname = \"x\"\nnmae = \"y\"\n");
  TomlReader root(table, "f.toml", "");
  TomlReader s = root.child(*root.optional_table("s"), "s");
  s.string("name");
  CHECK(error_of([&] { s.finish(); }) ==
        "f.toml:3: s.nmae: unknown key (did you mean name?) (got \"y\" (string))");
}

TEST_CASE("array elements are named by their name, else by index, and overrides point at --set") {
  toml::table table = parse_text("[[c]]\nname = \"paris\"\npue = 0.5\n[[c]]\npue = 2\n");
  OverridePositions overrides{{"c.1.pue", {"--set", 2}}};
  TomlReader root(table, "f.toml", "", &overrides);
  auto elements = root.table_array("c");
  TomlReader paris = root.element(*elements[0], "c", 0);
  TomlReader second = root.element(*elements[1], "c", 1);
  CHECK(error_of([&] { paris.fail("pue", "must be >= 1", "0.5"); }) == "f.toml:3: c.paris.pue: must be >= 1 (got 0.5)");
  CHECK(error_of([&] { second.fail("pue", "bad"); }) == "--set:2: c.1.pue: bad");
}

TEST_CASE("an integer beyond 2^53 in a number field reads as the nearest double, not as nothing") {
  // toml++'s value<double>() refuses integers a double cannot hold exactly; reading one was undefined behaviour.
  const toml::table table = parse_text("big = 9007199254740993\nsmall = 3\nhalf = 0.5\ntext = \"x\"\n");
  TomlReader reader(table, "f.toml", "top");
  CHECK(reader.number("big") == 9007199254740992.0);  // 2^53 + 1 rounds to 2^53
  CHECK(reader.number("small") == 3.0);
  CHECK(*number_of(*table.get("half")) == 0.5);
  CHECK_FALSE(number_of(*table.get("text")));
  reader.node("text");
}
