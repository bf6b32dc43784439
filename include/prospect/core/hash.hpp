#pragma once
// Content hashes for provenance (manifest) and for batch resume. XXH3: the
// manifest needs to tell files apart, not resist an attacker, and hashing a
// multi-gigabyte input must cost a fraction of reading it.
//
// A hash is "xxh3-4k:<32 hex digits>": the XXH3-128 of the list of the XXH3-64
// hashes (8 bytes each, little-endian) of the file's 4,096-byte pieces in
// order (the last piece shorter; an empty file has an empty list). Pieces
// rather than one stream so that the scoring pass, which reads an input's
// blocks in no fixed order on several threads, can hash what it reads while
// it has it (FileHasher): the input is then read once instead of twice.

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace prospect {

inline constexpr std::size_t k_hash_piece_bytes = 4096;

// The hash of a file's bytes; throws Error(bad_input) when unreadable.
std::string hash_file(const std::string& path);
std::string hash_bytes(std::string_view bytes);

// One file's hash, gathered from the reads of others. Construct it before the
// file is read; readers on any thread pass what they read to add(); finish()
// reads and hashes only the pieces no reader passed whole.
class FileHasher {
 public:
  // Notes the file's size and times; throws Error(bad_input) when it cannot be examined.
  explicit FileHasher(std::string path);
  FileHasher(const FileHasher&) = delete;
  FileHasher& operator=(const FileHasher&) = delete;

  // `n` bytes of the file as read at `offset`: the pieces wholly inside are hashed.
  void add(std::int64_t offset, const void* bytes, std::size_t n);
  // The file's hash. When the file changed since construction (size, inode,
  // modification or status-change time), the pieces added are dropped and the
  // file is hashed whole as it is now; changed() then says so.
  std::string finish();
  bool changed() const { return m_changed; }
  // How many pieces finish() read itself (the others came from add()).
  std::size_t pieces_finish_read() const { return m_finish_read; }

 private:
  struct Signature {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    long long mtime_ns = 0, ctime_ns = 0;
    bool operator==(const Signature& o) const;
  };
  std::string m_path;
  Signature m_signature;
  std::size_t m_pieces = 0;
  std::unique_ptr<std::atomic<std::uint64_t>[]> m_hashes;  // per piece, once hashed
  std::unique_ptr<std::atomic<bool>[]> m_hashed;           // per piece
  std::atomic<bool> m_any_added{false};
  bool m_changed = false;
  std::size_t m_finish_read = 0;
};

// A file's identity on its file system: device, inode, size, and the times of
// its last modification and status change to the nanosecond. The kernel sets
// the status-change time on every write, rename or touch, and no user can set
// it (short of setting the system clock back), so a file with the same
// identity holds the same bytes (the check git and rsync make). "" when the
// file cannot be examined, or when it changed in the last few seconds: a file
// system that keeps coarse times could then change it again without changing
// its identity.
std::string file_identity(const std::string& path, long long settle_seconds = 3);

struct FileHash {
  std::string path, hash, identity;  // identity: file_identity() when it was hashed
};

// The file at `path` with its identity now, and its hash when `known` (what a
// previous run recorded) lists the same path with that identity; else the
// hash is empty.
FileHash recorded_hash(const std::string& path, const std::vector<FileHash>& known);

// The file's hash: taken from `known` as recorded_hash() does, else read and hashed.
FileHash hash_file_reusing(const std::string& path, const std::vector<FileHash>& known);

}  // namespace prospect
