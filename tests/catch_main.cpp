// Catch2's main, in its own file: it is the slowest file to compile.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
