#include "sim/sweep/point_runner.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "sim/core/duration.hpp"
#include "sim/sweep/file_lock.hpp"

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

// Closes every descriptor from 3 up but `keep` (the point's lock): the sweep's own lock, pipes and files are not
// the point's, and a point that outlives the sweep must not keep the sweep's directory locked.
void close_descriptors_except(int keep) {
  const auto close_from_to = [](unsigned first, unsigned last) {
    if (first > last) return;
    if (syscall(SYS_close_range, first, last, 0) == 0) return;
    const long limit = std::min<long>(sysconf(_SC_OPEN_MAX), 65536);
    for (long fd = first; fd <= std::min<long>(last, limit); ++fd) close(static_cast<int>(fd));
  };
  if (keep >= 3) {
    close_from_to(3, static_cast<unsigned>(keep) - 1);
    close_from_to(static_cast<unsigned>(keep) + 1, ~0U);
  } else {
    close_from_to(3, ~0U);
  }
}

// Starts a point's process: a forked child that runs `in_process(args)` when set, else execs `executable`.
// The child dies with its parent (PR_SET_PDEATHSIG: SIGTERM, on which `fleetsim run` removes its temporary
// file; so a sweep killed even with SIGKILL leaves no point writing on), holds the point's lock (`lock_fd`,
// inherited) for as long as it runs, and writes its output to `log`.
pid_t start_point(const PointRunOptions& options, const std::vector<std::string>& args, const std::string& log,
                  int lock_fd) {
  std::vector<char*> argv{const_cast<char*>(options.executable.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);  // nothing buffered in the parent is written twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid > 0) return pid;
  std::signal(SIGINT, SIG_DFL);  // the parent's stop handler is not the point's: until the run installs its
  std::signal(SIGTERM, SIG_DFL); // own (which removes its partial file), a signal ends the point
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) _exit(1);  // the parent is already gone
  int code = 1;
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in >= 0 && out >= 0 && dup2(in, STDIN_FILENO) >= 0 && dup2(out, STDOUT_FILENO) >= 0 &&
      dup2(out, STDERR_FILENO) >= 0) {
    close_descriptors_except(lock_fd);
    if (!options.in_process) {
      fcntl(lock_fd, F_SETFD, 0);  // the lock goes with the exec
      execv(options.executable.c_str(), argv.data());
      std::fprintf(stderr, "cannot start %s: %s\n", options.executable.c_str(), std::strerror(errno));
      std::fflush(nullptr);
      _exit(127);
    }
    try {
      code = options.in_process(args);
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
  FileLock lock;  // the point's lock, shared with its process; released once the point is settled
  Clock::time_point started;
  bool terminated = false;  // SIGTERM sent (timeout or stop)
  Clock::time_point terminated_at{};
  bool timed_out = false;
};

}  // namespace

std::size_t run_points(const SweepPlan& plan, const std::vector<const SweepPoint*>& points,
                       const SweepDirectory& directory, const PointRunOptions& options) {
  std::map<pid_t, RunningPoint> running;
  std::deque<const SweepPoint*> queue(points.begin(), points.end());
  // Points another process was running when we came to them (an orphan of a killed sweep, a SLURM task): we
  // wait until its lock is free, then take its result, or run the point if it left none.
  std::vector<const SweepPoint*> elsewhere;
  auto next_look_elsewhere = Clock::now();
  std::set<std::string> failed_before;  // failed when this run began: retried (a newer failure is not)
  for (const SweepPoint* point : points)
    if (directory.status(point->id) == PointStatus::failed) failed_before.insert(point->id);
  std::map<std::string, std::vector<std::string>> temporaries = directory.point_temporaries();
  std::size_t failed = 0;
  const auto finished = [&](const SweepPoint& point, PointStatus status) {
    if (status == PointStatus::failed) ++failed;
    if (options.on_finished) options.on_finished(point, status);
  };
  const std::size_t parallel = static_cast<std::size_t>(std::max(1, options.parallel));
  const auto stopping = [&] { return options.stop && *options.stop; };

  // Takes the point's lock and starts it (or takes the result another process left); false when another
  // process holds the lock.
  const auto start = [&](const SweepPoint& point) {
    std::optional<FileLock> lock = FileLock::try_acquire(directory.point_lock(point.id));
    if (!lock) return false;
    const PointStatus status = directory.status(point.id);
    if (status == PointStatus::done || (status == PointStatus::failed && !failed_before.count(point.id))) {
      lock->release();  // settled by another process since: not run twice
      finished(point, status);
      return true;
    }
    // We hold the lock every writer of the point's files holds: what they left is stale.
    directory.remove_stale_temporaries(temporaries[point.id]);
    directory.clear_attempt(point.id);
    const pid_t pid = start_point(options, point_command(plan, point, directory), directory.log(point.id), lock->fd());
    running.emplace(pid, RunningPoint{&point, std::move(*lock), Clock::now()});
    return true;
  };

  while (true) {
    while (!stopping() && running.size() < parallel && !queue.empty()) {
      const SweepPoint* point = queue.front();
      queue.pop_front();
      if (!start(*point)) elsewhere.push_back(point);
    }
    if (!stopping() && running.size() < parallel && !elsewhere.empty() && Clock::now() >= next_look_elsewhere) {
      temporaries = directory.point_temporaries();  // what the other processes left, as of now
      for (auto it = elsewhere.begin(); it != elsewhere.end() && running.size() < parallel;)
        it = start(**it) ? elsewhere.erase(it) : it + 1;
      next_look_elsewhere = Clock::now() + std::chrono::milliseconds(200);
    }
    if (running.empty()) {
      if (stopping() || (queue.empty() && elsewhere.empty())) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // only points run elsewhere are left
      continue;
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
    // Without a time limit, a stop flag or points run elsewhere the loop blocks in waitpid; else it polls.
    const bool poll = options.timeout_s > 0 || options.stop || !elsewhere.empty();
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
    RunningPoint run = std::move(found->second);
    running.erase(found);
    const std::string& id = run.point->id;
    // A process killed by a signal (SIGKILL after a stop) may leave its temporary file; it was the writer.
    directory.remove_stale_temporaries({directory.result(id) + "." + std::to_string(pid) + ".tmp"});
    PointStatus status;
    if (run.timed_out) {
      directory.write_error(id, {-1, "timed out after " + format_duration(options.timeout_s) + " (point_timeout); stopped"});
      status = PointStatus::failed;
    } else if ((run.terminated || stopping()) && directory.status(id) != PointStatus::done) {
      directory.clear_attempt(id);  // stopped (interrupted): pending, not failed
      continue;
    } else {
      status = settle(directory, id, wait_status);
    }
    run.lock.release();
    finished(*run.point, status);
  }
  return failed;
}

}  // namespace fleetsim
