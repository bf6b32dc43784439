#pragma once
// Content hashes for provenance (manifest) and for batch resume. XXH3-128: the
// manifest needs to tell files apart, not resist an attacker, and hashing a
// multi-gigabyte input must cost a fraction of reading it.

#include <string>
#include <string_view>

namespace prospect {

// "xxh3-128:<32 hex digits>" of a file's bytes; throws Error(bad_input) when unreadable.
std::string hash_file(const std::string& path);
std::string hash_bytes(std::string_view bytes);

}  // namespace prospect
