#pragma once
namespace fleetsim {
const char* version();
const char* git_commit();
}  // namespace fleetsim
