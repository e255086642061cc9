#include "sim/app/progress_bar.hpp"

#include <cstdio>
#include <string>


namespace fleetsim {

namespace {
std::string short_duration(double seconds) {
  char text[32];
  if (seconds >= 86400) std::snprintf(text, sizeof text, "%.1fd", seconds / 86400);
  else if (seconds >= 3600) std::snprintf(text, sizeof text, "%.1fh", seconds / 3600);
  else if (seconds >= 60) std::snprintf(text, sizeof text, "%.1fmin", seconds / 60);
  else std::snprintf(text, sizeof text, "%.0fs", seconds);
  return text;
}
}  // namespace

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::update(double simulated_s, double horizon_s, std::uint64_t events) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done = simulated_s >= horizon_s;
  if (!done && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double fraction = horizon_s > 0 ? simulated_s / horizon_s : 1.0;
  const double wall_s = std::chrono::duration<double>(now - start_).count();
  const double rate = wall_s > 0 ? events / wall_s : 0;
  const double eta_s = fraction > 0 ? wall_s * (1 - fraction) / fraction : 0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar += std::string(kWidth - filled, '-');
  std::fprintf(stderr, "\r[%s] %s / %s  %.2fM events/s  ETA %s   ", bar.c_str(), short_duration(simulated_s).c_str(),
               short_duration(horizon_s).c_str(), rate / 1e6, short_duration(eta_s).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\n");
}

}  // namespace fleetsim
