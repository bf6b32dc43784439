#pragma once
// The output folder, published as a whole. A run writes every file into a
// private staging folder beside --out (same file system) and, when everything
// is written, swaps it with --out in one rename (renameat2 RENAME_EXCHANGE on
// Linux; a documented two-rename fallback elsewhere). Whatever happens before
// that rename -- an error, Ctrl-C, SIGKILL, a full disk -- --out still holds the
// previous run, entirely. A lock beside --out keeps a second run out while one
// is writing, and what dead runs left beside --out is removed by the next run.
// See docs/reliability.md.

#include <memory>
#include <string>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect {

// An exclusive lock, held through a lock file for the object's lifetime. It
// is flock(2): the system releases it when the process ends however it ends,
// so a killed run never leaves a stale lock behind.
class FolderLock {
 public:
  // Throws Error(bad_model), naming the process that holds it, when another
  // holds the lock; Error(run_failed) when the lock file cannot be written.
  // `folder` and `what` word the messages ("output folder", "batch folder").
  FolderLock(const std::string& lock_path, const std::string& folder, const std::string& what);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int m_fd = -1;
};

class OutputFolder {
 public:
  // Takes the lock on `folder` (Error bad_model, exit 2, when another run holds
  // it), removes what dead runs left beside it, and makes the staging folder.
  // Throws Error(bad_model) when `folder` is or holds an input, is a symbolic
  // link or a file, or holds files but no manifest of an earlier prospect run
  // (prospect replaces its folder as a whole and deletes nothing it did not write).
  OutputFolder(const std::string& folder, const std::vector<std::string>& input_files);
  ~OutputFolder();  // uncommitted: removes the staging folder; releases the lock
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::string& folder() const { return m_folder; }  // absolute
  // Where the outputs are until commit(): read written outputs back from here.
  const std::string& staging() const { return m_staging; }
  // Where `name` (a relative path such as "evidence/faults.tif") is written
  // now: inside the staging folder, its parent folders created. Throws
  // Error(run_failed) for a name that is absolute or has "..", "." or empty parts.
  std::string staged_path(const std::string& name) const;
  // Where `name` will be once committed (for messages and links).
  std::string final_path(const std::string& name) const;
  // Scratch space that is not published (removed before the swap).
  std::string scratch_path(const std::string& name) const;
  const std::string& scratch() const { return m_scratch; }

  // `error` with a staging or scratch path in its file name put as the user
  // knows it: the output's final path (scratch files: the folder itself).
  Error in_own_words(const Error& error) const;

  // Publishes the staging folder as `folder` in one step; the previous
  // contents of `folder` are removed afterwards.
  void commit();

 private:
  std::string m_folder;   // absolute, lexically normal
  std::string m_staging;  // sibling: .NAME.prospect-staging-XXXXXX
  std::string m_scratch;  // m_staging/.scratch
  std::unique_ptr<FolderLock> m_lock;
  bool m_committed = false;
};

// Checks that `name` is a relative path of plain parts (no "..", ".", empty
// part or leading '/'); throws Error(run_failed) otherwise. Every file name an
// output folder hands out passes it, so no name written can leave the folder.
void check_relative_name(const std::string& name);

// Writes text to path atomically: a new temporary sibling (created with
// O_EXCL | O_NOFOLLOW, so a planted file or symbolic link is never written
// through), then a rename over `path`.
void write_file_atomically(const std::string& path, const std::string& text);

// A whole file's bytes ("" when it cannot be read).
std::string read_text_file(const std::string& path);

}  // namespace prospect
