#include "prospect/run/input_hashes.hpp"

#include <algorithm>

#include "prospect/core/diagnostics.hpp"
#include "prospect/evidence/grid_input.hpp"

namespace prospect {
namespace {

// Hashes m_hashes[i] for each i of `which` on a thread of its own.
std::future<void> hash_on_a_thread(std::vector<FileHash>& hashes, std::vector<std::size_t> which) {
  return std::async(std::launch::async, [&hashes, which = std::move(which)] {
    for (std::size_t i : which) hashes[i].hash = hash_file(hashes[i].path);
  });
}

}  // namespace

InputHashes::InputHashes(const std::vector<std::string>& files, const std::vector<FileHash>& known,
                         const std::vector<std::string>& raster_paths) {
  std::vector<std::size_t> now;
  for (std::size_t i = 0; i < files.size(); ++i) {
    // The identity before any read: a change while reading shows as another
    // identity next time, and the file is hashed again then.
    FileHash h = recorded_hash(files[i], known);
    if (h.hash.empty())
      (std::count(raster_paths.begin(), raster_paths.end(), h.path) ? m_deferred : now)
          .push_back(i);
    m_hashes.push_back(std::move(h));
  }
  if (!now.empty()) m_work.push_back(hash_on_a_thread(m_hashes, std::move(now)));
}

InputHashes::~InputHashes() {
  for (auto& w : m_work)
    if (w.valid()) w.wait();
}

void InputHashes::share_reads(InputSet& inputs, const std::vector<InputSpec>& specs) {
  std::vector<std::size_t> now;
  for (std::size_t f : m_deferred) {
    std::vector<std::size_t> readers;
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].path() == m_hashes[f].path && inputs.reads_file_directly(i))
        readers.push_back(i);
    if (readers.empty()) {
      now.push_back(f);
      continue;
    }
    auto hasher = std::make_shared<FileHasher>(m_hashes[f].path);
    for (std::size_t i : readers) inputs.hash_reads(i, hasher);
    m_shared.emplace_back(f, std::move(hasher));
  }
  m_deferred.clear();
  if (!now.empty()) m_work.push_back(hash_on_a_thread(m_hashes, std::move(now)));
}

void InputHashes::start_finishing() {
  if (m_shared.empty()) return;
  m_work.push_back(std::async(std::launch::async, [this, shared = std::move(m_shared)] {
    for (const auto& [f, hasher] : shared) {
      m_hashes[f].hash = hasher->finish();
      if (hasher->changed()) m_changed.push_back(m_hashes[f].path);
    }
  }));
  m_shared.clear();
}

std::vector<FileHash> InputHashes::get() {
  start_finishing();               // when no pass called it: the files are read whole here
  for (auto& w : m_work) w.get();  // rethrows a hashing thread's error
  m_work.clear();
  for (const std::string& path : m_changed) {
    report_warning(path +
                   " changed while the run read it: its scores may mix the file's old and "
                   "new contents; run the model again");
    for (FileHash& h : m_hashes)
      if (h.path == path) h.identity.clear();
  }
  m_changed.clear();
  return m_hashes;
}

}  // namespace prospect
