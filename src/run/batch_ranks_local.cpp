#include "prospect/run/batch_ranks.hpp"

// Built without MPI: one rank, nothing to send.
namespace prospect {

BatchRanks::BatchRanks() = default;
BatchRanks::~BatchRanks() = default;
std::vector<std::string> BatchRanks::gather(const std::string& mine) const { return {mine}; }
int BatchRanks::broadcast(int value) const { return value; }

}  // namespace prospect
