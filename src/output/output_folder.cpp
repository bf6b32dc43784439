#include "prospect/output/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "prospect/core/error.hpp"

namespace prospect {

namespace fs = std::filesystem;

namespace {

const char* const k_step = "preparing the output folder";

[[noreturn]] void fail(ErrorKind kind, const std::string& file, const std::string& problem,
                       const std::string& hint = {}) {
  ErrorContext c;
  c.file = file;
  c.step = k_step;
  throw Error(kind, problem, c, hint);
}

bool is_within(const fs::path& child, const fs::path& parent) {
  auto c = child.begin(), p = parent.begin();
  for (; p != parent.end(); ++p, ++c) {
    if (p->empty()) continue;  // trailing separator
    if (c == child.end() || *c != *p) return false;
  }
  return true;
}

// Six characters for a unique name; a counter and the process id keep them
// apart within one process and across processes, the random part across runs.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937 random(std::random_device{}() ^ unsigned(getpid()) ^
                                   (counter++ * 2654435761u));
  std::string s(6, 'a');
  for (char& ch : s) ch = digits[random() % 36];
  return s;
}

// The names a run uses beside `name`: its lock, its staging folders and the
// previous contents of the folder while they are being removed.
std::string lock_name(const std::string& name) { return "." + name + ".prospect-lock"; }
std::string staging_prefix(const std::string& name) { return "." + name + ".prospect-staging-"; }
std::string old_prefix(const std::string& name) { return "." + name + ".prospect-old-"; }

// "<prefix>XXXXXX": the prefix and then exactly a unique_suffix().
bool has_suffix_after(const std::string& entry, const std::string& prefix) {
  if (entry.size() != prefix.size() + 6 || entry.compare(0, prefix.size(), prefix) != 0)
    return false;
  for (std::size_t i = prefix.size(); i < entry.size(); ++i)
    if (!std::isalnum(static_cast<unsigned char>(entry[i]))) return false;
  return true;
}

bool holds_prospect_manifest(const fs::path& folder) {
  try {
    std::ifstream in(folder / "manifest.json", std::ios::binary);
    if (!in) return false;
    const auto m = nlohmann::json::parse(in);
    return m.is_object() && m.value("tool", "") == "prospect";
  } catch (const std::exception&) {
    return false;
  }
}

void sync_folder(const fs::path& folder) {
  const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

// A kernel setting in hundredths of a second (/proc/sys/vm), or `fallback`.
long long vm_centiseconds(const char* name, long long fallback) {
  std::ifstream in(std::string("/proc/sys/vm/") + name);
  long long v = 0;
  return in >> v && v > 0 ? v : fallback;
}

// The previous run's files leave the page cache; their bytes stay on disk,
// whole, until the swap. This run is about to write as much again, and pages
// just given back are the cheap ones to write into: on a virtual machine whose
// host takes back free memory, a page it has taken back costs a fault in the
// host on the next write (measured: the fuzzy benchmark run again into its
// folder 40 s later, 1.92 -> 1.52 s, system time 1.10 -> 0.69 s). Only files the kernel has
// surely written out (unchanged for longer than its dirty-page expiry plus one
// flusher interval, 35 s by default): dropping dirty pages would first write
// them, bytes that the swap's delete would otherwise never write. A hint:
// whatever fails is left as it is.
void release_cached_pages(const fs::path& folder) {
  const long long settle_centiseconds = vm_centiseconds("dirty_expire_centisecs", 3000) +
                                        vm_centiseconds("dirty_writeback_centisecs", 500);
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!fs::is_regular_file(it->symlink_status(ec))) continue;
    const int fd = open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    const bool settled = fstat(fd, &st) == 0 && (now.tv_sec - st.st_mtim.tv_sec) * 100 >
                                                    settle_centiseconds + 100;  // +1 s for rounding
    if (settled) posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
}

}  // namespace

void check_relative_name(const std::string& name) {
  bool ok = !name.empty() && name.front() != '/' && name.back() != '/';
  for (const auto& part : fs::path(name)) {
    const std::string p = part.string();
    ok = ok && !p.empty() && p != "." && p != ".." && p.find('\0') == std::string::npos;
  }
  if (!ok)
    throw Error(ErrorKind::run_failed,
                "refused to write '" + name + "': output names are plain relative paths", {},
                "this is a bug in prospect; please report it with the model file");
}

FolderLock::FolderLock(const std::string& lock_path, const std::string& folder,
                       const std::string& what) {
  m_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (m_fd < 0)
    fail(ErrorKind::run_failed, folder,
         "cannot write beside it (" + lock_path + ": " + std::strerror(errno) + ")",
         "prospect writes its lock and staging folder beside the " + what +
             "; check your permission to write there, or choose another folder with --out");
  if (flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {0};
    const ssize_t got = pread(m_fd, pid, sizeof pid - 1, 0);
    close(m_fd);
    m_fd = -1;
    std::string who = got > 0 ? std::string(pid, std::size_t(got)) : "";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    fail(ErrorKind::bad_model, folder,
         "another prospect run is writing this " + what +
             (who.empty() ? "" : " (process " + who + ")"),
         "wait for it to finish, or give another folder with --out");
  }
  // The pid is only for the message above; the lock holds without it.
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(m_fd, 0) == 0 && pwrite(m_fd, pid.data(), pid.size(), 0) < 0) {
  }
}

FolderLock::~FolderLock() {
  if (m_fd >= 0) close(m_fd);
}

OutputFolder::OutputFolder(const std::string& folder, const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (folder.empty()) fail(ErrorKind::bad_model, folder, "the output folder name is empty");
  const fs::path absolute = fs::absolute(folder, ec).lexically_normal();
  fs::path out = absolute;
  if (!out.has_filename()) out = out.parent_path();  // "results/" names "results"
  const std::string name = out.filename().string();
  if (name.empty() || name == "." || name == ".." || out == out.root_path())
    fail(ErrorKind::bad_model, folder, "cannot be an output folder",
         "give a folder of its own, e.g. --out results/lofdal");
  const fs::path parent = fs::weakly_canonical(out.parent_path(), ec);
  out = parent / name;
  for (const auto& in : inputs) {
    if (in.rfind("/vsi", 0) == 0) continue;
    const fs::path p = fs::weakly_canonical(fs::absolute(in), ec);
    if (p == out || is_within(p, out))
      fail(ErrorKind::bad_model, folder,
           p == out ? "the output folder is an input file (" + in + ")"
                    : "the output folder holds an input file (" + in + ")",
           "choose an output folder of its own, e.g. --out results/lofdal");
  }
  const fs::file_status status = fs::symlink_status(out, ec);
  if (fs::is_symlink(status))
    fail(ErrorKind::bad_model, folder,
         "is a symbolic link; prospect replaces its output folder as a whole",
         "give the folder the link points to, or a new folder");
  if (fs::exists(status) && !fs::is_directory(status))
    fail(ErrorKind::bad_model, folder, "exists and is not a folder",
         "give a new folder, e.g. --out results/lofdal");
  fs::create_directories(parent, ec);
  if (!fs::is_directory(parent))
    fail(ErrorKind::run_failed, folder, "its parent folder cannot be created: " + ec.message(),
         "check the path and your permission to write there");
  m_folder = out.string();

  // Held for the whole run: a second run into the same folder is refused at once.
  m_lock =
      std::make_unique<FolderLock>((parent / lock_name(name)).string(), folder, "output folder");

  try {
    // Under the lock nothing else writes here: what matches our names is what dead runs left.
    // A fallback swap killed between its two renames left no folder but the previous run: restore
    // it.
    std::vector<fs::path> staging_left, old_left;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
      const std::string entry_name = entry.path().filename().string();
      if (has_suffix_after(entry_name, staging_prefix(name))) staging_left.push_back(entry.path());
      if (has_suffix_after(entry_name, old_prefix(name))) old_left.push_back(entry.path());
    }
    if (!fs::exists(fs::symlink_status(out, ec)) && old_left.size() == 1 &&
        holds_prospect_manifest(old_left[0])) {
      fs::rename(old_left[0], out, ec);
      if (!ec) old_left.clear();
    }
    for (const auto& p : staging_left) fs::remove_all(p, ec);
    for (const auto& p : old_left) fs::remove_all(p, ec);

    if (fs::is_directory(fs::symlink_status(out, ec)) && !fs::is_empty(out, ec) &&
        !holds_prospect_manifest(out))
      fail(ErrorKind::bad_model, folder,
           "holds files but no manifest.json of an earlier prospect run; prospect replaces its "
           "output folder "
           "as a whole and deletes nothing it did not write",
           "give a new or empty folder with --out");
    if (fs::is_directory(fs::symlink_status(out, ec))) release_cached_pages(out);

    // mkdir, not mkdtemp: the folder gets the permissions the user's umask gives, as --out would.
    for (int attempt = 0; attempt < 100 && m_staging.empty(); ++attempt) {
      const fs::path candidate = parent / (staging_prefix(name) + unique_suffix());
      if (mkdir(candidate.c_str(), 0777) == 0)
        m_staging = candidate.string();
      else if (errno != EEXIST)
        break;
    }
    if (m_staging.empty())
      fail(ErrorKind::run_failed, folder,
           std::string("cannot write beside it: ") + std::strerror(errno),
           "choose a folder you can write to (--out DIR)");
    m_scratch = (fs::path(m_staging) / ".scratch").string();
    if (mkdir(m_scratch.c_str(), 0700) != 0)
      fail(ErrorKind::run_failed, m_staging,
           std::string("cannot be written: ") + std::strerror(errno));
  } catch (...) {
    if (!m_staging.empty()) fs::remove_all(m_staging, ec);
    throw;
  }
}

OutputFolder::~OutputFolder() {
  std::error_code ec;
  if (!m_committed && !m_staging.empty()) fs::remove_all(m_staging, ec);
}  // then m_lock releases the lock

std::string OutputFolder::staged_path(const std::string& name) const {
  check_relative_name(name);
  const fs::path p = fs::path(m_staging) / name;
  std::error_code ec;
  if (p.has_parent_path() && p.parent_path() != fs::path(m_staging))
    fs::create_directories(p.parent_path(), ec);
  return p.string();
}

std::string OutputFolder::final_path(const std::string& name) const {
  check_relative_name(name);
  return (fs::path(m_folder) / name).string();
}

std::string OutputFolder::scratch_path(const std::string& name) const {
  check_relative_name(name);
  return (fs::path(m_scratch) / name).string();
}

Error OutputFolder::in_own_words(const Error& error) const {
  ErrorContext c = error.context();
  const auto starts_with = [&](const std::string& prefix) {
    return !prefix.empty() && c.file.compare(0, prefix.size(), prefix) == 0 &&
           (c.file.size() == prefix.size() || c.file[prefix.size()] == '/');
  };
  if (starts_with(m_scratch)) {
    c.file = m_folder;
    c.step = c.step.empty() ? "writing a scratch file" : c.step + " (a scratch file)";
  } else if (starts_with(m_staging)) {
    c.file = m_folder + c.file.substr(m_staging.size());
  } else {
    return error;
  }
  return Error(error.kind(), error.problem(), c, error.hint());
}

void OutputFolder::commit() {
  std::error_code ec;
  fs::remove_all(m_scratch, ec);
  const fs::path out = m_folder, staging = m_staging, parent = out.parent_path();
  sync_folder(staging);
  auto failed = [&](const std::string& what) {
    fail(ErrorKind::run_failed, m_folder,
         what + ": " + std::strerror(errno) + "; the folder was not changed",
         "check the disk and your permission to write there, then run again");
  };
  if (!fs::exists(fs::symlink_status(out, ec))) {
    if (rename(staging.c_str(), out.c_str()) != 0)
      failed("the new outputs could not be moved into place");
  } else if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
    // The staging name now holds the previous run; removed below.
  } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
    // No atomic exchange on this file system: two renames. A kill between them
    // leaves the previous run under the old- name, which the next run restores.
    const fs::path old = parent / (old_prefix(out.filename().string()) + unique_suffix());
    if (rename(out.c_str(), old.c_str()) != 0)
      failed("the previous outputs could not be moved aside");
    if (rename(staging.c_str(), out.c_str()) != 0) {
      const int saved = errno;
      rename(old.c_str(), out.c_str());
      errno = saved;
      failed("the new outputs could not be moved into place");
    }
    m_staging = old.string();
  } else {
    failed("the new outputs could not be swapped in");
  }
  m_committed = true;
  sync_folder(parent);
  if (fs::exists(fs::symlink_status(m_staging, ec))) fs::remove_all(m_staging, ec);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  ErrorContext c;
  c.file = path;
  c.step = "writing";
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = path + ".part-" + unique_suffix();
    fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    throw Error(ErrorKind::run_failed, std::string("could not be written: ") + std::strerror(errno),
                c);
  const char* p = text.data();
  std::size_t left = text.size();
  int err = 0;
  while (left > 0 && err == 0) {
    const ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
    } else {
      p += n;
      left -= std::size_t(n);
    }
  }
  if (close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    unlink(tmp.c_str());
    throw Error(ErrorKind::run_failed,
                std::string("could not be written: ") + std::strerror(err) + " (disk full?)", c);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    throw Error(ErrorKind::run_failed,
                std::string("could not be moved into place: ") + std::strerror(err), c);
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace prospect
