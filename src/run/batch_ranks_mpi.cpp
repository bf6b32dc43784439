#include <mpi.h>

#include <cstdlib>

#include "prospect/run/batch_ranks.hpp"

namespace prospect {
namespace {

// Started by mpirun (OpenMPI, or a PMI-based launcher such as MPICH's or
// Slurm's srun)? Otherwise MPI is left alone: a plain run needs none of it.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

void finalize_mpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

}  // namespace

BatchRanks::BatchRanks() {
  if (!launched_by_mpi()) return;
  int running = 0, finalized = 0;
  MPI_Initialized(&running);
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (!running) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED,
                    &provided);  // only the main thread talks MPI
    std::atexit(finalize_mpi);   // once per process: a second batch in it reuses the session
  }
  m_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m_size);
}

BatchRanks::~BatchRanks() = default;

std::vector<std::string> BatchRanks::gather(const std::string& mine) const {
  if (!m_started) return {mine};
  int length = int(mine.size());
  std::vector<int> lengths(static_cast<std::size_t>(m_size)),
      offsets(static_cast<std::size_t>(m_size));
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  int total = 0;
  for (int r = 0; r < m_size; ++r) {
    offsets[std::size_t(r)] = total;
    total += lengths[std::size_t(r)];
  }
  std::string all(m_rank == 0 ? std::size_t(total) : 0, '\0');
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (m_rank == 0)
    for (int r = 0; r < m_size; ++r)
      out.push_back(
          all.substr(std::size_t(offsets[std::size_t(r)]), std::size_t(lengths[std::size_t(r)])));
  return out;
}

int BatchRanks::broadcast(int value) const {
  if (m_started) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

}  // namespace prospect
