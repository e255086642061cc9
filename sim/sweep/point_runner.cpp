#include "sim/sweep/point_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "sim/core/duration.hpp"

extern char** environ;

namespace fleetsim {

std::string current_executable() {
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) throw std::runtime_error(std::string("cannot find the fleetsim executable: ") + std::strerror(errno));
  return std::string(path, static_cast<std::size_t>(length));
}

std::vector<std::string> point_command(const SweepPlan& plan, const SweepPoint& point, const SweepDirectory& directory) {
  std::vector<std::string> args{"run", plan.scenario_path, "--quiet", "--seed", std::to_string(point.seed)};
  for (const std::string& assignment : point_overrides(plan, point)) {
    args.push_back("--set");
    args.push_back(assignment);
  }
  for (const std::string& value : {std::string("-o"), directory.result(point.id), std::string("--stats"),
                                   directory.stats(point.id)})
    args.push_back(value);
  return args;
}

namespace {

pid_t spawn_point(const std::string& executable, const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv{const_cast<char*>(executable.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int status = posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (status != 0) throw std::runtime_error("cannot start " + executable + ": " + std::strerror(status));
  return pid;
}

pid_t fork_point(const std::function<int(std::vector<std::string>)>& entry, const std::vector<std::string>& args,
                 const std::string& log) {
  std::fflush(nullptr);  // nothing buffered in the parent is written twice
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid > 0) return pid;
  std::signal(SIGINT, SIG_DFL);  // the parent's stop handler is not the point's: until the run installs its
  std::signal(SIGTERM, SIG_DFL); // own (which removes its partial file), a signal ends the point
  int code = 1;
  const int in = open("/dev/null", O_RDONLY);
  const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in >= 0 && out >= 0 && dup2(in, STDIN_FILENO) >= 0 && dup2(out, STDOUT_FILENO) >= 0 &&
      dup2(out, STDERR_FILENO) >= 0) {
    close(in);
    close(out);
    try {
      code = entry(args);
    } catch (...) {
      code = 1;
    }
  }
  std::fflush(nullptr);
  _exit(code);  // not exit(): the parent's atexit handlers and static destructors are not the child's
}

// Status of a finished point from its exit status; writes the error record of a failure.
PointStatus settle(const SweepDirectory& directory, const std::string& id, int wait_status) {
  const bool exited = WIFEXITED(wait_status);
  const int code = exited ? WEXITSTATUS(wait_status) : -1;
  if (code == 0 && directory.status(id) == PointStatus::done) return PointStatus::done;
  std::string message = directory.last_log_line(id);
  if (!exited) message = "killed by signal " + std::to_string(WTERMSIG(wait_status)) +
                         (message.empty() ? "" : "; last output: " + message);
  else if (code == 0) message = "exited without writing its result file";
  else if (message.empty()) message = "failed without output";
  directory.write_error(id, {code, message});
  return PointStatus::failed;
}

}  // namespace

namespace {

using Clock = std::chrono::steady_clock;

struct RunningPoint {
  const SweepPoint* point;
  Clock::time_point started;
  bool terminated = false;  // SIGTERM sent (timeout or stop)
  Clock::time_point terminated_at;
  bool timed_out = false;
};

}  // namespace

std::size_t run_points(const SweepPlan& plan, const std::vector<const SweepPoint*>& points,
                       const SweepDirectory& directory, const PointRunOptions& options) {
  std::map<pid_t, RunningPoint> running;
  std::size_t next = 0, failed = 0;
  const std::size_t parallel = static_cast<std::size_t>(std::max(1, options.parallel));
  const auto stopping = [&] { return options.stop && *options.stop; };
  // Without a time limit or a stop flag the loop blocks in waitpid; otherwise it polls every 20 ms.
  const bool poll = options.timeout_s > 0 || options.stop;
  while ((next < points.size() && !stopping()) || !running.empty()) {
    while (next < points.size() && running.size() < parallel && !stopping()) {
      const SweepPoint& point = *points[next++];
      directory.clear_attempt(point.id);
      const std::vector<std::string> args = point_command(plan, point, directory);
      const pid_t pid = options.in_process ? fork_point(options.in_process, args, directory.log(point.id))
                                           : spawn_point(options.executable, args, directory.log(point.id));
      running[pid] = {&point, Clock::now()};
    }
    const auto now = Clock::now();
    for (auto& [pid, run] : running) {
      const bool over_time =
          options.timeout_s > 0 && std::chrono::duration<double>(now - run.started).count() > options.timeout_s;
      if (!run.terminated && (over_time || stopping())) {
        kill(pid, SIGTERM);
        run.terminated = true;
        run.terminated_at = now;
        run.timed_out = over_time;
      } else if (run.terminated && now - run.terminated_at > std::chrono::seconds(5)) {
        kill(pid, SIGKILL);
      }
    }
    int wait_status = 0;
    const pid_t pid = waitpid(-1, &wait_status, poll ? WNOHANG : 0);
    if (pid == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;  // not one of ours
    const RunningPoint run = found->second;
    running.erase(found);
    PointStatus status;
    if (run.timed_out) {
      directory.write_error(run.point->id, {-1, "timed out after " + format_duration(options.timeout_s) +
                                                    " (point_timeout); stopped"});
      status = PointStatus::failed;
    } else if ((run.terminated || stopping()) && directory.status(run.point->id) != PointStatus::done) {
      directory.clear_attempt(run.point->id);  // stopped (interrupted): pending, not failed
      continue;
    } else {
      status = settle(directory, run.point->id, wait_status);
    }
    if (status == PointStatus::failed) ++failed;
    if (options.on_finished) options.on_finished(*run.point, status);
  }
  return failed;
}

}  // namespace fleetsim
