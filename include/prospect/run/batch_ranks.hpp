#pragma once
// The processes a batch is spread over. Built with -DPROSPECT_MPI=ON and
// started by `mpirun -np N prospect batch ...`, each MPI rank runs the surveys
// whose index modulo N is its rank, and rank 0 gathers the outcomes and writes
// the batch summary. Otherwise there is one rank and nothing is sent.

#include <string>
#include <vector>

namespace prospect {

class BatchRanks {
 public:
  // Joins MPI when built with it and started by mpirun (MPI is finalized at exit,
  // so several batches in one process share it); else one rank.
  BatchRanks();
  ~BatchRanks();
  BatchRanks(const BatchRanks&) = delete;
  BatchRanks& operator=(const BatchRanks&) = delete;

  int rank() const { return m_rank; }
  int size() const { return m_size; }
  // Every rank's text, in rank order, on rank 0; empty on the others.
  std::vector<std::string> gather(const std::string& mine) const;
  // Rank 0's value, on every rank.
  int broadcast(int value) const;

 private:
  int m_rank = 0, m_size = 1;
  bool m_started = false;  // MPI in use (started by mpirun)
};

}  // namespace prospect
