#pragma once
// The input files' hashes for the manifest, each taken the cheapest way that
// stays exact: from the manifest of the run before when the file's identity is
// unchanged; from the run's own reads when prospect reads the file itself (a
// raster input on the grid, uncompressed: the file is then read once, not a
// second time to hash it); else read on a thread of its own beside the run.

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "prospect/core/hash.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

class InputSet;

class InputHashes {
 public:
  // Starts hashing, on a thread of its own, every file that needs it except
  // those in `raster_paths` (the raster inputs' files): share_reads decides
  // those. `known`: what the previous run in the folder recorded.
  InputHashes(const std::vector<std::string>& files, const std::vector<FileHash>& known,
              const std::vector<std::string>& raster_paths);
  InputHashes(const InputHashes&) = delete;
  InputHashes& operator=(const InputHashes&) = delete;
  ~InputHashes();

  // Before any input is read: the raster inputs prospect reads itself hash what
  // they read; the other raster files start on a thread of their own.
  void share_reads(InputSet& inputs, const std::vector<InputSpec>& specs);
  // After the last read of the pass that reads the inputs whole (scoring):
  // the pieces no read covered are read and hashed on a thread of their own.
  void start_finishing();
  // Every file's hash and identity, in the order of `files`. A file that
  // changed while the run read it gets no identity (hashed again next time)
  // and a warning: its scores may mix old and new bytes.
  std::vector<FileHash> get();

 private:
  std::vector<FileHash> m_hashes;       // per file; hash empty until known
  std::vector<std::size_t> m_deferred;  // files left to share_reads
  std::vector<std::pair<std::size_t, std::shared_ptr<FileHasher>>> m_shared;
  std::vector<std::future<void>> m_work;  // each fills entries of m_hashes
  std::vector<std::string> m_changed;     // files that changed while read
};

}  // namespace prospect
