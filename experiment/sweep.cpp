#include "experiment/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/atomic_file.hpp"
#include "sim/build_info.hpp"
#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/random_stream.hpp"
#include "sim/recording.hpp"
#include "experiment/csv_table.hpp"
#include "experiment/sampling.hpp"
#include "sim/scenario_loader.hpp"
#include "experiment/sobol_indices.hpp"

namespace alignsim {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kRunsFile = "runs.csv";
constexpr const char* kPointsFile = "points.csv";
constexpr const char* kTimeseriesFile = "timeseries.csv";
constexpr const char* kSensitivityFile = "sensitivity.csv";
constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kLockFile = ".sweep.lock";

// Results computed but not yet written may hold this many bytes of rows (time series make a
// run megabytes); past it workers wait, except for the run the writer needs next.
constexpr std::size_t kMaxBytesInFlight = 64u << 20;
// The writer's buffers are written out (without the fsync of a commit) past this size.
constexpr std::size_t kMaxBufferBytes = 2u << 20;

constexpr const char* kRowOrder =
    "runs.csv: by run_id (= point_id * replications + replicate), then state in scenario order; "
    "points.csv: by point_id, then state; timeseries.csv: by run_id, tick, state, quantity, "
    "partner; sensitivity.csv: by state, output, parameter";

// Bootstrap seed of the Sobol indices: a fixed offset from the master seed, so the confidence
// intervals are reproducible but independent of the run seeds.
constexpr std::uint64_t kSobolBootstrapStream = 0x50B0150B0150B01ull;

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

using Json = nlohmann::ordered_json;

// The resolved spec as JSON: what manifest.json records and the fingerprint hashes. Paths are
// left out of the fingerprint so a sweep can be resumed from another folder.
Json resolved_spec_json(const SweepSpec& spec, bool with_paths) {
  Json j;
  if (with_paths) {
    j["spec_file"] = spec.file;
    j["scenario"] = spec.scenario_path;
    if (spec.design == DesignKind::samples) j["samples"] = spec.samples_path;
  }
  j["design"] = design_name(spec.design);
  if (spec.design == DesignKind::random || spec.design == DesignKind::lhs ||
      spec.design == DesignKind::sobol)
    j["points"] = spec.points;
  if (spec.design == DesignKind::samples) j["samples_fnv1a"] = hex(spec.samples_hash);
  j["replications"] = spec.replications;
  j["seed"] = spec.seed;
  j["ticks"] = spec.base.ticks;
  j["parameters"] = Json::array();
  for (const SweepParameter& p : spec.parameters) {
    Json q;
    q["path"] = p.path;
    if (!p.values.empty()) q["values"] = p.values;
    if (p.values.empty() && p.hi > p.lo) {
      q["range"] = {p.lo, p.hi};
      q["log"] = p.log;
    }
    if (p.steps > 0) q["steps"] = p.steps;
    j["parameters"].push_back(q);
  }
  const SweepOutputs& o = spec.outputs;
  std::vector<std::string> states;
  for (std::size_t i : o.states) states.push_back(spec.base.state_names[i]);
  j["outputs"] = {{"states", states},
                  {"features", o.features},
                  {"policies", o.policies},
                  {"timeseries", o.timeseries},
                  {"timeseries_every", o.timeseries_every}};
  return j;
}

std::string resolved_scenario_yaml(const SweepSpec& spec, const ModelRegistry& models) {
  std::ostringstream yaml;
  write_resolved_yaml(spec.base, *models.find(spec.base.model)->schema, yaml);
  return yaml.str();
}

// ---------------------------------------------------------------------------------------------
// The output row layout, shared by the writers and the resume scan.

struct Layout {
  std::vector<std::string> numbers;  // per state and run: features, then final_<policy>
  std::string runs_header, points_header;
  std::size_t states = 0;
};

Layout layout_of(const SweepSpec& spec) {
  Layout l;
  l.states = spec.outputs.states.size();
  for (const auto& f : spec.outputs.features) l.numbers.push_back(f);
  if (spec.outputs.policies)
    for (const auto& q : spec.policy_names) l.numbers.push_back("final_" + q);
  std::string params;
  for (const auto& p : spec.parameters) params += "," + p.path;
  l.runs_header = "run_id,point_id,replicate,seed" + params + ",state,label";
  for (const auto& q : spec.qualifiers) l.runs_header += "," + q;
  for (const auto& n : l.numbers) l.runs_header += "," + n;
  l.runs_header += "\n";
  l.points_header = "point_id" + params + ",state,runs";
  for (const auto& label : spec.labels) l.points_header += ",p_" + label;
  l.points_header += ",modal_label";
  for (const auto& n : l.numbers) l.points_header += ",mean_" + n;
  l.points_header += "\n";
  return l;
}

constexpr const char* kTimeseriesHeader = "run_id,tick,state,partner,quantity,value\n";

// What one run contributes: its CSV rows (formatted by the worker) and the numbers the writer
// aggregates into points.csv.
struct RunResult {
  std::string runs_rows;
  std::string timeseries_rows;
  std::vector<int> label;        // per output state; -1 when the run failed
  std::vector<double> numbers;   // per output state × Layout::numbers
  bool failed = false;
  std::string failure;
};

// The first fields of a run's runs.csv rows: run_id, point_id, replicate, seed, parameters.
std::string run_prefix(const SweepSpec& spec, const Eigen::MatrixXd& values, std::uint64_t run_id) {
  const auto R = static_cast<std::uint64_t>(spec.replications);
  const std::uint64_t point = run_id / R;
  std::string prefix = std::to_string(run_id) + "," + std::to_string(point) + "," +
                       std::to_string(run_id % R) + "," + std::to_string(run_seed(spec, run_id));
  for (Eigen::Index d = 0; d < values.cols(); ++d)
    prefix += "," + format_number(values(static_cast<Eigen::Index>(point), d));
  return prefix;
}

// The first fields of a point's points.csv rows: point_id, parameters.
std::string point_prefix(const Eigen::MatrixXd& values, std::uint64_t point) {
  std::string prefix = std::to_string(point);
  for (Eigen::Index d = 0; d < values.cols(); ++d)
    prefix += "," + format_number(values(static_cast<Eigen::Index>(point), d));
  return prefix;
}

RunResult compute_run(const SweepSpec& spec, const ModelRegistry& models, const Layout& layout,
                      const Eigen::MatrixXd& values, std::uint64_t run_id) {
  const auto R = static_cast<std::uint64_t>(spec.replications);
  const std::uint64_t point = run_id / R;
  const std::uint64_t seed = run_seed(spec, run_id);
  const std::size_t S = layout.states, K = layout.numbers.size();
  RunResult r;
  r.label.assign(S, -1);
  r.numbers.assign(S * K, 0.0);
  const std::string prefix = run_prefix(spec, values, run_id);

  std::vector<StateOutcome> outcomes;
  std::vector<Observable> final_policies;
  try {
    Scenario s = spec.base;
    for (std::size_t d = 0; d < spec.parameters.size(); ++d) {
      const double v = values(static_cast<Eigen::Index>(point), static_cast<Eigen::Index>(d));
      for (const ParamRef& r : setting_targets(*spec.schema, spec.parameters[d].target))
        apply_op(s, r, EventOp::set, v);
    }
    Engine engine(s, models, RunOptions{seed, 0, spec.outputs.timeseries});
    engine.run_to_end();
    outcomes = engine.model().classify();
    if (spec.outputs.policies) final_policies = engine.model().observe();
    if (spec.outputs.timeseries) {
      const Recording& rec = engine.recording();
      const int every = spec.outputs.timeseries_every;
      const std::string id = std::to_string(run_id);
      for (std::size_t k = 0; k < rec.size(); ++k) {
        const int tick = rec.tick_at(k);
        if (tick % every != 0 && k + 1 != rec.size()) continue;
        const std::string head = id + "," + std::to_string(tick) + ",";
        for (const auto& o : rec.frame_at(k))  // model-level quantities: no state, no partner
          if (o.scalar) r.timeseries_rows += head + ",," + o.quantity + "," + format_number(o.values(0, 0)) + "\n";
        for (std::size_t i : spec.outputs.states) {
          for (const auto& o : rec.frame_at(k)) {
            if (o.scalar) continue;
            const bool dyadic = o.values.cols() > 1;
            for (Eigen::Index j = 0; j < o.values.cols(); ++j) {
              if (dyadic && static_cast<std::size_t>(j) == i) continue;
              r.timeseries_rows += head;
              r.timeseries_rows += s.state_names[i];
              r.timeseries_rows += ',';
              if (dyadic) r.timeseries_rows += s.state_names[static_cast<std::size_t>(j)];
              r.timeseries_rows += ',';
              r.timeseries_rows += o.quantity;
              r.timeseries_rows += ',';
              r.timeseries_rows += format_number(o.values(static_cast<Eigen::Index>(i), j));
              r.timeseries_rows += '\n';
            }
          }
        }
      }
    }
  } catch (const std::bad_alloc&) {
    throw;  // a property of this machine, not of the run: never recorded as its result
  } catch (const std::exception& e) {
    r.failed = true;
    r.failure = e.what();
    r.timeseries_rows.clear();
  }

  for (std::size_t k = 0; k < S; ++k) {
    const std::size_t state = spec.outputs.states[k];
    std::string row = prefix + "," + spec.base.state_names[state];
    const StateOutcome* o = nullptr;
    for (const auto& c : outcomes)
      if (c.state == state) o = &c;
    if (r.failed || !o) {
      row += ",failed";
      for (std::size_t q = 0; q < spec.qualifiers.size(); ++q) row += ',';
      for (std::size_t n = 0; n < K; ++n) row += ',';
      r.runs_rows += row + "\n";
      continue;
    }
    const auto it = std::find(spec.labels.begin(), spec.labels.end(), o->label);
    r.label[k] = it == spec.labels.end() ? -1 : static_cast<int>(it - spec.labels.begin());
    row += "," + o->label;
    for (const auto& [name, value] : o->qualifiers) row += "," + value;
    std::size_t n = 0;
    for (const auto& f : spec.outputs.features) {
      double v = std::nan("");
      for (const auto& [name, x] : o->features)
        if (name == f) v = x;
      r.numbers[k * K + n++] = v;
      row += "," + format_number(v);
    }
    if (spec.outputs.policies) {
      for (const auto& q : spec.policy_names) {
        double v = std::nan("");
        for (const auto& ob : final_policies) {
          if (ob.quantity != q) continue;
          if (ob.scalar)
            v = ob.values(0, 0);
          else if (ob.values.cols() == 1)
            v = ob.values(static_cast<Eigen::Index>(state), 0);
          else if (spec.towards >= 0)
            v = ob.values(static_cast<Eigen::Index>(state), static_cast<Eigen::Index>(spec.towards));
        }
        r.numbers[k * K + n++] = v;
        row += "," + format_number(v);
      }
    }
    r.runs_rows += row + "\n";
  }
  return r;
}

// RunResult as bytes for RemoteWorkers (same build on every process, so doubles travel raw).
void put_u64(std::string& b, std::uint64_t v) { b.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_string(std::string& b, const std::string& s) {
  put_u64(b, s.size());
  b += s;
}

std::string encode(const RunResult& r) {
  std::string b;
  put_string(b, r.runs_rows);
  put_string(b, r.timeseries_rows);
  put_u64(b, r.label.size());
  for (int l : r.label) put_u64(b, static_cast<std::uint64_t>(static_cast<std::int64_t>(l)));
  put_u64(b, r.numbers.size());
  b.append(reinterpret_cast<const char*>(r.numbers.data()), r.numbers.size() * sizeof(double));
  put_u64(b, r.failed ? 1 : 0);
  put_string(b, r.failure);
  return b;
}

class Reader {
 public:
  explicit Reader(const std::string& b) : b_(b) {}
  std::uint64_t u64() {
    std::uint64_t v;
    need(sizeof v);
    std::memcpy(&v, b_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string str() {
    const std::uint64_t n = u64();
    need(n);
    std::string s = b_.substr(at_, n);
    at_ += n;
    return s;
  }
  void raw(void* dst, std::uint64_t n) {
    need(n);
    std::memcpy(dst, b_.data() + at_, n);
    at_ += n;
  }
  bool done() const { return at_ == b_.size(); }

 private:
  void need(std::uint64_t n) const {
    if (n > b_.size() - at_) throw RuntimeError("a remote worker sent a truncated run result");
  }
  const std::string& b_;
  std::size_t at_ = 0;
};

RunResult decode(const std::string& bytes, const Layout& layout) {
  Reader in(bytes);
  RunResult r;
  r.runs_rows = in.str();
  r.timeseries_rows = in.str();
  const std::uint64_t labels = in.u64();
  if (labels != layout.states) throw RuntimeError("a remote worker sent a run result of another sweep");
  for (std::uint64_t k = 0; k < labels; ++k) r.label.push_back(static_cast<int>(static_cast<std::int64_t>(in.u64())));
  const std::uint64_t numbers = in.u64();
  if (numbers != layout.states * layout.numbers.size())
    throw RuntimeError("a remote worker sent a run result of another sweep");
  r.numbers.resize(numbers);
  in.raw(r.numbers.data(), numbers * sizeof(double));
  r.failed = in.u64() != 0;
  r.failure = in.str();
  if (!in.done()) throw RuntimeError("a remote worker sent a malformed run result");
  return r;
}

// points.csv rows of one design point from its replicates.
std::string point_rows(const SweepSpec& spec, const Layout& layout, const Eigen::MatrixXd& values,
                       std::uint64_t point, const std::vector<RunResult>& runs) {
  const std::size_t S = layout.states, K = layout.numbers.size(), L = spec.labels.size();
  const std::string prefix = point_prefix(values, point);
  std::string out;
  for (std::size_t k = 0; k < S; ++k) {
    std::vector<int> count(L, 0);
    std::vector<double> sum(K, 0.0);
    int ok = 0;
    for (const RunResult& r : runs) {
      if (r.failed) continue;
      ++ok;
      if (r.label[k] >= 0) ++count[static_cast<std::size_t>(r.label[k])];
      for (std::size_t n = 0; n < K; ++n) sum[n] += r.numbers[k * K + n];
    }
    out += prefix + "," + spec.base.state_names[spec.outputs.states[k]] +
           "," + std::to_string(ok);
    std::size_t modal = 0;
    for (std::size_t l = 0; l < L; ++l) {
      out += "," + format_number(ok ? static_cast<double>(count[l]) / ok : 0.0);
      if (count[l] > count[modal]) modal = l;  // ties: the first label in the model's order
    }
    out += "," + (ok && L ? spec.labels[modal] : std::string());
    for (std::size_t n = 0; n < K; ++n)
      out += "," + (ok ? format_number(sum[n] / ok) : std::string());
    out += "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Append-only output files.

class AppendFile {
 public:
  AppendFile() = default;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  ~AppendFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  void open(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw RuntimeError("cannot open '" + path + "': " + std::strerror(errno));
  }
  bool is_open() const { return fd_ >= 0; }
  void write(const std::string& data) {
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw RuntimeError("cannot write '" + path_ + "': " + std::strerror(errno));
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  void sync() {
    if (::fsync(fd_) != 0) throw RuntimeError("cannot sync '" + path_ + "': " + std::strerror(errno));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// ---------------------------------------------------------------------------------------------
// The output folder: its lock and its temporaries.

// An advisory lock (flock) on DIR/.sweep.lock, held for the sweep's life and released by the
// kernel when the process dies, so a requeued job never finds a stale lock. The file stays:
// removing it would let two processes lock two different files.
class FolderLock {
 public:
  explicit FolderLock(const std::string& dir) : path_(dir + "/" + kLockFile) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw RuntimeError("cannot create the lock '" + path_ + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      ::close(fd_);
      if (e == EWOULDBLOCK)
        throw UsageError("'" + dir + "' is in use by another sweep (it holds " + kLockFile +
                         "); wait for that sweep to end, or choose another --out");
      throw RuntimeError("cannot lock '" + path_ + "': " + std::strerror(e));
    }
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock() { ::close(fd_); }

 private:
  std::string path_;
  int fd_ = -1;
};

// NAME.tmp.PID of one of the sweep's files: what write_file_atomically leaves when killed.
bool is_sweep_temporary(const std::string& name) {
  for (const char* f : {kRunsFile, kPointsFile, kTimeseriesFile, kSensitivityFile, kManifestFile}) {
    const std::string stem = std::string(f) + ".tmp.";
    if (name.size() > stem.size() && name.compare(0, stem.size(), stem) == 0 &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(stem.size()), name.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

// A folder a sweep may write into: one with a manifest (resumed or refused later), or one
// holding nothing but what a sweep killed before its first manifest leaves.
bool holds_only_sweep_files(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir + "/" + kManifestFile, ec)) return true;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != kLockFile && !is_sweep_temporary(name)) return false;
  }
  return !ec;
}

// With the lock held no other process writes here: every temporary is a dead process's.
void remove_stray_temporaries(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> stray;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (is_sweep_temporary(entry.path().filename().string())) stray.push_back(entry.path());
  for (const auto& p : stray) fs::remove(p, ec);
}

void truncate_to(const std::string& path, std::uint64_t size) {
  std::error_code ec;
  fs::resize_file(path, size, ec);
  if (ec) throw RuntimeError("cannot truncate '" + path + "': " + ec.message());
}

// Scans a CSV written by this sweep: checks the header and counts the leading complete rows
// for which `valid(row, line)` holds; returns (rows, byte length of header + those rows).
// A torn last line, garbage after a power cut, a row out of sequence or one with a wrong
// field ends the scan: the resume recomputes from there.
template <typename Valid>
std::pair<std::uint64_t, std::uint64_t> scan_rows(const std::string& path, const std::string& header,
                                                  Valid valid, std::uint64_t max_rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {0, 0};
  std::string line;
  if (!std::getline(in, line) || in.eof() || line + "\n" != header) return {0, 0};
  std::uint64_t bytes = header.size(), rows = 0;
  while (rows < max_rows && std::getline(in, line) && !in.eof()) {
    if (!valid(rows, line)) break;
    bytes += line.size() + 1;
    ++rows;
  }
  return {rows, bytes};
}

std::size_t count_fields(const std::string& line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
}

// A field as format_number writes it: a finite or non-finite number, all of it.
bool is_number(const std::string& field) {
  if (field.empty()) return false;
  char* end = nullptr;
  std::strtod(field.c_str(), &end);
  return end == field.c_str() + field.size();
}


// The runs.csv row `row` as this sweep writes it: its run's fields, its state, the header's
// number of fields, and numbers where numbers go.
bool valid_run_row(const SweepSpec& spec, const Layout& layout, const Eigen::MatrixXd& values,
                   std::uint64_t row, const std::string& line) {
  const std::uint64_t S = layout.states;
  const std::string head = run_prefix(spec, values, row / S) + "," +
                           spec.base.state_names[spec.outputs.states[row % S]] + ",";
  if (line.compare(0, head.size(), head) != 0) return false;
  if (count_fields(line) != count_fields(layout.runs_header)) return false;
  const std::vector<std::string> f = CsvTable::split_row(line.substr(head.size()));
  if (f[0] == "failed") {
    for (std::size_t k = 1; k < f.size(); ++k)
      if (!f[k].empty()) return false;
    return true;
  }
  for (std::size_t k = 2; k < f.size(); ++k)
    if (!is_number(f[k])) return false;
  return !f[0].empty();
}

// The points.csv row `row`: its point's fields, its state, a run count, label shares, a modal
// label of the model's and means.
bool valid_point_row(const SweepSpec& spec, const Layout& layout, const Eigen::MatrixXd& values,
                     std::uint64_t row, const std::string& line) {
  const std::uint64_t S = layout.states;
  const std::string head = point_prefix(values, row / S) + "," +
                           spec.base.state_names[spec.outputs.states[row % S]] + ",";
  if (line.compare(0, head.size(), head) != 0) return false;
  if (count_fields(line) != count_fields(layout.points_header)) return false;
  const std::vector<std::string> f = CsvTable::split_row(line.substr(head.size()));
  const std::size_t L = spec.labels.size();
  char* end = nullptr;
  const unsigned long long runs = std::strtoull(f[0].c_str(), &end, 10);
  if (f[0].empty() || end != f[0].c_str() + f[0].size() ||
      runs > static_cast<unsigned long long>(spec.replications))
    return false;
  for (std::size_t l = 0; l < L; ++l)
    if (!is_number(f[1 + l])) return false;
  const std::string& modal = f[1 + L];
  if (runs > 0 && L > 0 && std::find(spec.labels.begin(), spec.labels.end(), modal) == spec.labels.end())
    return false;
  for (std::size_t n = 2 + L; n < f.size(); ++n)
    if (runs > 0 ? !is_number(f[n]) : !f[n].empty()) return false;
  return true;
}

// Bytes of header + the leading timeseries rows of runs < end_run.
std::uint64_t scan_timeseries(const std::string& path, std::uint64_t end_run) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  std::string line;
  if (!std::getline(in, line) || in.eof() || line + "\n" != kTimeseriesHeader) return 0;
  std::uint64_t bytes = std::string(kTimeseriesHeader).size();
  while (std::getline(in, line) && !in.eof()) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) break;
    char* end = nullptr;
    const unsigned long long id = std::strtoull(line.c_str(), &end, 10);
    if (end != line.c_str() + comma || id >= end_run) break;
    bytes += line.size() + 1;
  }
  return bytes;
}

// The fingerprint recorded in a manifest.json, or "" if it cannot be read.
std::string manifest_fingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const Json j = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("fingerprint") || !j["fingerprint"].is_string()) return "";
  return j["fingerprint"].get<std::string>();
}

// sensitivity.csv from points.csv (read back from disk, so a resumed sweep gets it too).
void write_sensitivity(const SweepSpec& spec, const Layout& layout, const std::string& dir) {
  const std::size_t S = layout.states, L = spec.labels.size(), K = layout.numbers.size();
  const std::size_t outputs = L + K;
  const auto n_points = static_cast<Eigen::Index>(design_points(spec));
  const int D = static_cast<int>(spec.parameters.size());
  std::vector<Eigen::VectorXd> y(S * outputs, Eigen::VectorXd::Zero(n_points));
  std::ifstream in(dir + "/" + kPointsFile, std::ios::binary);
  std::string line;
  std::getline(in, line);
  const std::size_t first = 1 + static_cast<std::size_t>(D) + 2;  // point_id, params, state, runs
  for (Eigen::Index p = 0; p < n_points; ++p) {
    for (std::size_t k = 0; k < S; ++k) {
      if (!std::getline(in, line)) throw RuntimeError("cannot read '" + dir + "/points.csv': it ends early");
      const std::vector<std::string> f = CsvTable::split_row(line);
      // The resume scan validated every row; this guards the indexing below all the same.
      if (f.size() != first + L + 1 + K)
        throw RuntimeError("cannot read '" + dir + "/points.csv': row " + std::to_string(p) +
                           " has " + std::to_string(f.size()) + " fields, expected " +
                           std::to_string(first + L + 1 + K) + "; rerun the sweep into a new folder");
      for (std::size_t l = 0; l < L; ++l)
        y[k * outputs + l](p) = std::strtod(f[first + l].c_str(), nullptr);
      for (std::size_t n = 0; n < K; ++n)
        y[k * outputs + L + n](p) = f[first + L + 1 + n].empty() ? std::nan("")
                                                                 : std::strtod(f[first + L + 1 + n].c_str(), nullptr);
    }
  }
  std::string out = "state,output,parameter,S1,S1_conf,ST,ST_conf\n";
  for (std::size_t k = 0; k < S; ++k) {
    for (std::size_t o = 0; o < outputs; ++o) {
      const std::string name = o < L ? "p_" + spec.labels[o] : "mean_" + layout.numbers[o - L];
      const Eigen::VectorXd& v = y[k * outputs + o];
      const bool finite = v.allFinite();
      SobolIndices si;
      if (finite) si = estimate_sobol_indices(v, D, derive_seed(spec.seed, kSobolBootstrapStream));
      for (int d = 0; d < D; ++d) {
        out += spec.base.state_names[spec.outputs.states[k]] + "," + name + "," +
               spec.parameters[static_cast<std::size_t>(d)].path;
        if (finite)
          out += "," + format_number(si.s1(d)) + "," + format_number(si.s1_conf(d)) + "," +
                 format_number(si.st(d)) + "," + format_number(si.st_conf(d)) + "\n";
        else
          out += ",,,,\n";  // some point had no successful run
      }
    }
  }
  write_file_atomically(dir + "/" + kSensitivityFile, out);
}

struct ManifestState {
  std::string status;
  std::string started;
  std::uint64_t runs_resumed = 0, runs_done = 0, runs_failed = 0;
  double seconds = 0.0;
  int threads = 1;
  int processes = 1;
  std::vector<std::pair<std::uint64_t, std::string>> failures;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// `base_yaml`: resolved_scenario_yaml(spec, models), written once per sweep (yaml-cpp's emitter
// takes milliseconds for a scenario: not for every manifest).
void write_manifest(const SweepSpec& spec, const SweepOptions& opt, const std::string& base_yaml,
                    const std::string& fingerprint, const ManifestState& m) {
  const std::uint64_t runs = sweep_runs(spec);
  const std::uint64_t computed = m.runs_done - m.runs_resumed;
  Json j;
  j["tool"] = "alignsim sweep";
  j["version"] = opt.version;
  j["git"] = build_info().commit;  // of the binary's source, when it was configured
  j["git_dirty"] = build_info().dirty ? Json(*build_info().dirty) : Json(nullptr);
  j["status"] = m.status;
  j["fingerprint"] = fingerprint;
  j["master_seed"] = spec.seed;
  j["spec"] = resolved_spec_json(spec, true);
  j["counts"] = {{"parameters", spec.parameters.size()}, {"points", design_points(spec)},
                 {"replications", spec.replications},    {"runs", runs},
                 {"runs_done", m.runs_done},              {"runs_resumed", m.runs_resumed},
                 {"runs_failed", m.runs_failed},          {"states", spec.outputs.states.size()}};
  j["timings"] = {{"started", m.started},
                  {"threads", m.threads},
                  {"processes", m.processes},
                  {"seconds", m.seconds},
                  {"runs_per_second", m.seconds > 0 ? static_cast<double>(computed) / m.seconds : 0.0}};
  j["failures"] = Json::array();
  for (const auto& [run_id, message] : m.failures) j["failures"].push_back({{"run_id", run_id}, {"message", message}});
  std::vector<std::string> files = {kRunsFile, kPointsFile};
  if (spec.outputs.timeseries) files.push_back(kTimeseriesFile);
  if (spec.design == DesignKind::sobol) files.push_back(kSensitivityFile);
  j["files"] = files;
  j["row_order"] = kRowOrder;
  j["base_scenario"] = base_yaml;
  // Invalid UTF-8 (a file name, a model's message) is replaced, never a reason to fail.
  write_file_atomically(opt.out_dir + "/" + kManifestFile,
                        j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::uint64_t design_points(const SweepSpec& spec) {
  switch (spec.design) {
    case DesignKind::grid: {
      std::uint64_t n = 1;
      for (const auto& p : spec.parameters)
        n *= p.values.empty() ? static_cast<std::uint64_t>(p.steps) : p.values.size();
      return n;
    }
    case DesignKind::random:
    case DesignKind::lhs:
      return static_cast<std::uint64_t>(spec.points);
    case DesignKind::sobol:
      return static_cast<std::uint64_t>(spec.points) * (spec.parameters.size() + 2);
    case DesignKind::samples:
      return static_cast<std::uint64_t>(spec.samples.rows());
  }
  return 0;
}

std::uint64_t sweep_runs(const SweepSpec& spec) {
  return design_points(spec) * static_cast<std::uint64_t>(spec.replications);
}

std::uint64_t run_seed(const SweepSpec& spec, std::uint64_t run_id) {
  return derive_seed(spec.seed, run_id) & kMaxSeed;
}

Eigen::MatrixXd design_values(const SweepSpec& spec) {
  const auto D = static_cast<Eigen::Index>(spec.parameters.size());
  const auto n = static_cast<Eigen::Index>(design_points(spec));
  if (spec.design == DesignKind::samples) return spec.samples;

  // Levels of one parameter on a grid: its values, or `steps` points spanning the range.
  auto levels = [](const SweepParameter& p) {
    if (!p.values.empty()) return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(
        p.values.data(), static_cast<Eigen::Index>(p.values.size())));
    const Eigen::MatrixXd unit = grid({p.steps});
    Eigen::VectorXd lo(1), hi(1);
    lo << p.lo;
    hi << p.hi;
    Eigen::VectorXd v = scale_to_ranges(unit, lo, hi, {p.log}).col(0);
    // A grid level is a number people chose: 15 significant digits, so [0.1, 0.3] in 3 steps
    // gives 0.2, not the 0.19999999999999998 of the arithmetic.
    for (double& x : v) {
      char buf[40];
      const char* end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 15).ptr;
      std::from_chars(buf, end, x);
    }
    return v;
  };

  Eigen::MatrixXd out(n, D);
  if (spec.design == DesignKind::grid) {
    std::vector<Eigen::VectorXd> lv;
    for (const auto& p : spec.parameters) lv.push_back(levels(p));
    for (Eigen::Index r = 0; r < n; ++r) {
      Eigen::Index rest = r;  // odometer: the last parameter varies fastest
      for (Eigen::Index d = D - 1; d >= 0; --d) {
        const Eigen::VectorXd& l = lv[static_cast<std::size_t>(d)];
        out(r, d) = l(rest % l.size());
        rest /= l.size();
      }
    }
    return out;
  }
  Eigen::MatrixXd unit;
  if (spec.design == DesignKind::random) unit = random_uniform(static_cast<int>(n), static_cast<int>(D), spec.seed);
  if (spec.design == DesignKind::lhs) unit = latin_hypercube(static_cast<int>(n), static_cast<int>(D), spec.seed);
  if (spec.design == DesignKind::sobol) unit = saltelli(spec.points, static_cast<int>(D), spec.seed).points;
  for (Eigen::Index d = 0; d < D; ++d) {
    const SweepParameter& p = spec.parameters[static_cast<std::size_t>(d)];
    if (!p.values.empty()) {
      // Discrete levels: equal-probability bins of the unit interval.
      const auto k = static_cast<Eigen::Index>(p.values.size());
      for (Eigen::Index r = 0; r < n; ++r) {
        const auto bin = std::min<Eigen::Index>(static_cast<Eigen::Index>(std::floor(unit(r, d) * k)), k - 1);
        out(r, d) = p.values[static_cast<std::size_t>(std::max<Eigen::Index>(bin, 0))];
      }
    } else {
      Eigen::VectorXd lo(1), hi(1);
      lo << p.lo;
      hi << p.hi;
      out.col(d) = scale_to_ranges(unit.col(d), lo, hi, {p.log}).col(0);
    }
  }
  return out;
}

namespace {
std::string fingerprint_of(const SweepSpec& spec, const std::string& base_yaml) {
  std::uint64_t h = fnv1a(resolved_spec_json(spec, false).dump());
  h = fnv1a(base_yaml, h);
  return hex(h);
}
}  // namespace

std::string sweep_fingerprint(const SweepSpec& spec, const ModelRegistry& models) {
  return fingerprint_of(spec, resolved_scenario_yaml(spec, models));
}

struct SweepRunComputer::Impl {
  const SweepSpec& spec;
  const ModelRegistry& models;
  Layout layout;
  Eigen::MatrixXd values;
};

SweepRunComputer::SweepRunComputer(const SweepSpec& spec, const ModelRegistry& models)
    : impl_(new Impl{spec, models, layout_of(spec), design_values(spec)}) {}

SweepRunComputer::~SweepRunComputer() = default;

std::string SweepRunComputer::compute(std::uint64_t run_id) const {
  return encode(compute_run(impl_->spec, impl_->models, impl_->layout, impl_->values, run_id));
}

SweepSummary run_sweep(const SweepSpec& spec, const ModelRegistry& models,
                       const SweepOptions& opt) {
  const Clock::time_point t0 = Clock::now();
  const std::string& dir = opt.out_dir;
  const Layout layout = layout_of(spec);
  const Eigen::MatrixXd values = design_values(spec);
  const auto R = static_cast<std::uint64_t>(spec.replications);
  const std::uint64_t n_points = design_points(spec);
  const std::uint64_t n_runs = n_points * R;
  const std::uint64_t S = layout.states;
  const std::string base_yaml = resolved_scenario_yaml(spec, models);
  const std::string fingerprint = fingerprint_of(spec, base_yaml);
  const std::string runs_path = dir + "/" + kRunsFile, points_path = dir + "/" + kPointsFile,
                    ts_path = dir + "/" + kTimeseriesFile, manifest_path = dir + "/" + kManifestFile;

  // ---- the output folder: fresh, or resumed from its last committed point
  std::error_code ec;
  const bool existed = fs::is_directory(dir, ec);
  if (existed && !opt.resume && fs::exists(manifest_path, ec))
    throw UsageError("'" + dir + "' already holds a sweep (manifest.json); pass --resume to continue it, or choose another --out");
  if (existed && !holds_only_sweep_files(dir))
    throw UsageError("'" + dir + "' is not empty and holds no sweep; choose an empty or new folder for --out");
  fs::create_directories(dir, ec);
  if (ec) throw RuntimeError("cannot create '" + dir + "': " + ec.message());
  // Held until this function returns (or the process dies): one sweep per folder.
  const FolderLock lock(dir);
  remove_stray_temporaries(dir);
  const bool has_manifest = fs::exists(manifest_path, ec);
  if (has_manifest && !opt.resume)
    throw UsageError("'" + dir + "' already holds a sweep (manifest.json); pass --resume to continue it, or choose another --out");
  if (has_manifest && manifest_fingerprint(manifest_path) != fingerprint)
    throw UsageError("'" + dir + "' holds a sweep of a different spec or base scenario; --resume needs the same spec (or choose another --out)");
  // No manifest: a sweep killed before its first manifest.json left at most its own files;
  // it starts afresh (the manifest is written first, so nothing of value is lost).

  std::uint64_t start_point = 0;
  if (has_manifest) {
    auto valid_point = [&](std::uint64_t row, const std::string& line) {
      return valid_point_row(spec, layout, values, row, line);
    };
    auto valid_run = [&](std::uint64_t row, const std::string& line) {
      return valid_run_row(spec, layout, values, row, line);
    };
    const std::uint64_t point_rows_ok = scan_rows(points_path, layout.points_header, valid_point, n_points * S).first;
    const std::uint64_t run_rows_ok = scan_rows(runs_path, layout.runs_header, valid_run, n_runs * S).first;
    start_point = std::min(point_rows_ok / S, run_rows_ok / (S * R));
    // Keep exactly the committed points: the files end on the same point boundary.
    const std::uint64_t points_keep =
        scan_rows(points_path, layout.points_header, valid_point, start_point * S).second;
    const std::uint64_t runs_keep =
        scan_rows(runs_path, layout.runs_header, valid_run, start_point * R * S).second;
    if (start_point == 0) {
      write_file_atomically(points_path, layout.points_header);
      write_file_atomically(runs_path, layout.runs_header);
    } else {
      truncate_to(points_path, points_keep);
      truncate_to(runs_path, runs_keep);
    }
    if (spec.outputs.timeseries) {
      const std::uint64_t ts_keep = scan_timeseries(ts_path, start_point * R);
      if (ts_keep == 0) write_file_atomically(ts_path, kTimeseriesHeader);
      else truncate_to(ts_path, ts_keep);
    }
  }
  std::remove((dir + "/" + kSensitivityFile).c_str());

  ManifestState ms;
  ms.status = "running";
  ms.started = utc_now();
  ms.threads = std::max(1, opt.threads);
  ms.processes = opt.remote ? opt.remote->processes() : 1;
  ms.runs_resumed = start_point * R;
  ms.runs_done = ms.runs_resumed;
  write_manifest(spec, opt, base_yaml, fingerprint, ms);
  if (!has_manifest) {
    // After the manifest: a kill before it leaves a folder a resume starts afresh.
    write_file_atomically(runs_path, layout.runs_header);
    write_file_atomically(points_path, layout.points_header);
    if (spec.outputs.timeseries) write_file_atomically(ts_path, kTimeseriesHeader);
  }

  AppendFile runs_file, points_file, ts_file;
  runs_file.open(runs_path);
  points_file.open(points_path);
  if (spec.outputs.timeseries) ts_file.open(ts_path);

  // ---- workers compute runs; this thread writes them in run-id order
  std::mutex mu;
  std::condition_variable results_ready, window_open;
  std::map<std::uint64_t, RunResult> results;
  std::size_t bytes_in_flight = 0;  // rows held in `results`
  std::uint64_t next_run = start_point * R;
  std::uint64_t consumed = start_point * R;  // runs handed to the writer
  bool stop = false;
  // Workers may run ahead of the writer by this many runs and kMaxBytesInFlight bytes: bounds
  // memory whatever n_runs and the size of a run. The run the writer waits for is always
  // handed out, so the bounds never stall the sweep.
  const std::uint64_t window = R * static_cast<std::uint64_t>(std::max(16, 8 * ms.threads * ms.processes));
  auto cancelled = [&] { return opt.cancel && opt.cancel->load(); };
  auto may_hand_out = [&] {  // with mu held
    return next_run == consumed ||
           (next_run < consumed + window && bytes_in_flight < kMaxBytesInFlight);
  };
  auto add_result = [&](std::uint64_t id, RunResult r) {  // with mu held
    bytes_in_flight += r.runs_rows.size() + r.timeseries_rows.size();
    results.emplace(id, std::move(r));
    results_ready.notify_all();
  };

  std::exception_ptr worker_error;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu);
    if (!worker_error) worker_error = e;
    stop = true;
    results_ready.notify_all();
  };
  auto out_of_memory = [] {
    return std::make_exception_ptr(RuntimeError(
        "out of memory; every completed point is kept: rerun with --resume, with fewer --threads"));
  };
  auto worker = [&] {
    try {
      while (true) {
        std::uint64_t id;
        {
          std::unique_lock<std::mutex> lock(mu);
          while (!stop && !cancelled() && next_run < n_runs && !may_hand_out())
            window_open.wait_for(lock, std::chrono::milliseconds(50));
          if (stop || cancelled() || next_run >= n_runs) return;
          id = next_run++;
        }
        RunResult r = compute_run(spec, models, layout, values, id);
        std::lock_guard<std::mutex> lock(mu);
        add_result(id, std::move(r));
      }
    } catch (const std::bad_alloc&) {
      fail(out_of_memory());
    } catch (...) {
      fail(std::current_exception());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < ms.threads; ++t) pool.emplace_back(worker);
  if (opt.remote) {
    // The same hand-out rule as the local workers, but never blocking: the thread serving the
    // other processes must keep taking their results while the window is full.
    auto next = [&](std::uint64_t& id) {
      std::lock_guard<std::mutex> lock(mu);
      if (stop || cancelled() || next_run >= n_runs) return RemoteWorkers::Next::done;
      if (!may_hand_out()) return RemoteWorkers::Next::wait;
      id = next_run++;
      return RemoteWorkers::Next::run;
    };
    auto deliver = [&](std::uint64_t id, std::string bytes) {
      RunResult r = decode(bytes, layout);
      std::lock_guard<std::mutex> lock(mu);
      add_result(id, std::move(r));
    };
    pool.emplace_back([&, next, deliver] {
      try {
        opt.remote->serve(next, deliver);
      } catch (const std::bad_alloc&) {
        fail(out_of_memory());
      } catch (...) {
        fail(std::current_exception());
      }
    });
  }

  std::string runs_buf, points_buf, ts_buf;
  std::uint64_t committed_points = start_point, buffered_points = start_point;
  Clock::time_point last_commit = Clock::now();
  // Writes the buffered rows; with new complete points, a commit: runs (and time series) reach
  // the disk (fsync) before the points rows that mark them complete. Rows of a point not yet
  // complete may be written ahead: a resume cuts the files back to the last committed point.
  auto write_out = [&] {
    runs_file.write(runs_buf);
    if (ts_file.is_open()) ts_file.write(ts_buf);
    runs_buf.clear();
    ts_buf.clear();
    if (buffered_points == committed_points) return;
    runs_file.sync();
    if (ts_file.is_open()) ts_file.sync();
    points_file.write(points_buf);
    points_file.sync();
    points_buf.clear();
    committed_points = buffered_points;
    ms.runs_done = committed_points * R;
    last_commit = Clock::now();
    if (opt.progress) {
      SweepProgress pr;
      pr.runs_done = ms.runs_done;
      pr.runs_total = n_runs;
      pr.runs_this_session = ms.runs_done - ms.runs_resumed;
      pr.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      opt.progress(pr);
    }
  };

  auto finish_pool = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    window_open.notify_all();
    for (auto& t : pool) t.join();
  };

  try {
    std::vector<RunResult> point_runs;  // the current point's runs, their rows moved out
    for (std::uint64_t id = start_point * R; id < n_runs; ++id) {
      RunResult r;
      {
        std::unique_lock<std::mutex> lock(mu);
        while (!results.count(id) && !stop && !cancelled())
          results_ready.wait_for(lock, std::chrono::milliseconds(50));
        auto it = results.find(id);
        if (it == results.end()) break;  // cancelled, or a worker failed
        r = std::move(it->second);
        results.erase(it);
        bytes_in_flight -= r.runs_rows.size() + r.timeseries_rows.size();
        consumed = id + 1;
      }
      window_open.notify_all();
      runs_buf += r.runs_rows;
      ts_buf += r.timeseries_rows;
      r.runs_rows = std::string();
      r.timeseries_rows = std::string();
      point_runs.push_back(std::move(r));
      if (point_runs.size() == R) {
        const std::uint64_t first = buffered_points * R;
        for (std::uint64_t k = 0; k < R; ++k) {
          if (!point_runs[k].failed) continue;
          ++ms.runs_failed;
          if (ms.failures.size() < 100) ms.failures.emplace_back(first + k, point_runs[k].failure);
        }
        points_buf += point_rows(spec, layout, values, buffered_points, point_runs);
        point_runs.clear();
        ++buffered_points;
      }
      const double since = std::chrono::duration<double>(Clock::now() - last_commit).count();
      // The size cap keeps memory flat however fast runs finish and however large they are.
      if ((since >= opt.commit_interval && buffered_points > committed_points) ||
          runs_buf.size() + ts_buf.size() + points_buf.size() > kMaxBufferBytes)
        write_out();
    }
    write_out();
  } catch (...) {
    finish_pool();
    throw;
  }
  finish_pool();
  if (worker_error) std::rethrow_exception(worker_error);

  SweepSummary summary;
  summary.points = n_points;
  summary.runs_total = n_runs;
  summary.runs_resumed = ms.runs_resumed;
  summary.runs_done = ms.runs_done;
  summary.runs_failed = ms.runs_failed;
  summary.interrupted = committed_points < n_points;
  if (!summary.interrupted && spec.design == DesignKind::sobol) write_sensitivity(spec, layout, dir);
  summary.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  ms.seconds = summary.seconds;
  ms.status = summary.interrupted ? "interrupted" : "complete";
  write_manifest(spec, opt, base_yaml, fingerprint, ms);
  return summary;
}

}  // namespace alignsim
