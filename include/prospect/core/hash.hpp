#pragma once
// Content hashes for provenance (manifest) and for batch resume. XXH3-128: the
// manifest needs to tell files apart, not resist an attacker, and hashing a
// multi-gigabyte input must cost a fraction of reading it.

#include <string>
#include <string_view>
#include <vector>

namespace prospect {

// "xxh3-128:<32 hex digits>" of a file's bytes; throws Error(bad_input) when unreadable.
std::string hash_file(const std::string& path);
std::string hash_bytes(std::string_view bytes);

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

// The file's hash: taken from `known` (what a previous run recorded) when it
// lists the same path with the file's current identity, else read and hashed.
FileHash hash_file_reusing(const std::string& path, const std::vector<FileHash>& known);

}  // namespace prospect
