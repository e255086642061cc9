#include "sim/fleet/lifecycle.hpp"

namespace fleetsim {

const char* to_string(InterruptCause cause) {
  switch (cause) {
    case InterruptCause::preempted: return "preempted";
    case InterruptCause::maintenance: return "maintenance";
    case InterruptCause::failure: return "failure";
    case InterruptCause::power: return "power";
  }
  return "unknown";
}

}  // namespace fleetsim
