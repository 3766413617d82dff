#include "tools/cli/sweep_mpi.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <thread>

#include "sim/error.hpp"

namespace alignsim::cli {

namespace {

// Messages between rank 0 and a worker rank: READY (worker, empty: give me a run), RESULT
// (worker: 8-byte run id + the run's bytes, and give me another), RUN (rank 0: 8-byte run id),
// STOP (rank 0, empty: no runs left). Every request gets exactly one answer, in order; after
// the first STOP a worker gets only STOPs, and it is done when all its requests are answered.
enum Tag : int { kReady = 1, kResult = 2, kRun = 3, kStop = 4 };

// Requests each worker keeps open: while it computes one run the next is already on its way,
// so a worker never waits for rank 0's reply (which can take a polling interval).
constexpr int kAhead = 2;

void send(int to, Tag tag, const std::string& bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

std::string receive(const MPI_Status& probed) {
  int count = 0;
  MPI_Get_count(&probed, MPI_BYTE, &count);
  std::string bytes(static_cast<std::size_t>(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return bytes;
}

std::string id_bytes(std::uint64_t id) { return std::string(reinterpret_cast<const char*>(&id), sizeof id); }

std::uint64_t id_of(const std::string& bytes) {
  std::uint64_t id = 0;
  if (bytes.size() < sizeof id) throw RuntimeError("an MPI rank sent a truncated message");
  std::memcpy(&id, bytes.data(), sizeof id);
  return id;
}

}  // namespace

// Rank 0's view of the other ranks. Only the thread in serve() (or the destructor, when the
// sweep never got that far) talks MPI.
class MpiSweep::Workers : public RemoteWorkers {
 public:
  explicit Workers(int size) : size_(size) {}

  void serve(const std::function<Next(std::uint64_t&)>& next,
             const std::function<void(std::uint64_t, std::string)>& deliver) override {
    served_ = true;
    try {
      hand_out(next, deliver);
    } catch (const std::exception& e) {
      // Workers blocked on a message that will never come cannot be released cleanly.
      std::fprintf(stderr, "alignsim: error: %s\n", e.what());
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  }

  int processes() const override { return size_; }

  // The sweep stopped before serving (bad --out, say): release the workers waiting for a run.
  void release() {
    if (served_) return;
    for (int k = 0; k < kAhead * (size_ - 1); ++k) {
      MPI_Status st;
      MPI_Probe(MPI_ANY_SOURCE, kReady, MPI_COMM_WORLD, &st);
      receive(st);
      send(st.MPI_SOURCE, kStop, "");
    }
    served_ = true;
  }

 private:
  void hand_out(const std::function<Next(std::uint64_t&)>& next,
                const std::function<void(std::uint64_t, std::string)>& deliver) {
    // Each worker makes kAhead requests more than it sends results, so it is finished once it
    // got kAhead STOPs; the sweep's part of MPI is over when every worker is.
    int stops_left = kAhead * (size_ - 1);
    std::deque<int> idle;  // open requests, by rank, in the order they came
    bool done = false;
    while (stops_left > 0) {
      while (!idle.empty()) {
        std::uint64_t id = 0;
        if (!done) {
          const Next n = next(id);
          if (n == Next::wait) break;
          done = n == Next::done;
          if (!done) {
            send(idle.front(), kRun, id_bytes(id));
            idle.pop_front();
            continue;
          }
        }
        send(idle.front(), kStop, "");
        idle.pop_front();
        --stops_left;
      }
      if (stops_left == 0) break;
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
      if (!flag) {
        // Poll rather than block: the hand-out rule may open up (the writer drains its window)
        // without any message arriving.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      const std::string bytes = receive(st);
      if (st.MPI_TAG == kResult) deliver(id_of(bytes), bytes.substr(sizeof(std::uint64_t)));
      idle.push_back(st.MPI_SOURCE);
    }
  }

  int size_;
  bool served_ = false;
};

namespace {

// Started by mpirun/mpiexec or srun (Open MPI, PMIx, PMI)? A plain `alignsim sweep` then never
// touches MPI, so it behaves exactly like the default build, and a process may run many sweeps
// (MPI can be initialised only once per process).
bool launched_by_mpi() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(var) != nullptr) return true;
  return false;
}

}  // namespace

MpiSweep::MpiSweep() {
  if (!launched_by_mpi()) return;
  active_ = true;
  int provided = 0;
  // The serving thread is the only one to call MPI while the sweep runs; the main thread calls
  // it before and after (all_ok, release, finalize): serialized, never concurrent.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw RuntimeError("this MPI library does not support MPI_THREAD_SERIALIZED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (rank_ == 0 && size_ > 1) workers_ = std::make_unique<Workers>(size_);
}

MpiSweep::~MpiSweep() {
  if (!active_) return;
  // The workers wait for a run only once every rank agreed the sweep can start.
  if (workers_ && agreed_) workers_->release();
  MPI_Finalize();
}

bool MpiSweep::all_ok(bool ok) {
  if (!active_) return agreed_ = ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  agreed_ = all == 1;
  return agreed_;
}

RemoteWorkers* MpiSweep::workers() { return workers_.get(); }

void MpiSweep::work(const SweepRunComputer& computer) {
  for (int k = 0; k < kAhead; ++k) send(0, kReady, "");
  for (int open = kAhead; open > 0;) {
    MPI_Status st;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    const std::string bytes = receive(st);
    --open;
    if (st.MPI_TAG == kStop) continue;
    const std::uint64_t id = id_of(bytes);
    send(0, kResult, id_bytes(id) + computer.compute(id));
    ++open;
  }
}

}  // namespace alignsim::cli
