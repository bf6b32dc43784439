#include "prospect/output/output_folder.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <fstream>

#include "prospect/core/error.hpp"

namespace prospect {

namespace fs = std::filesystem;

namespace {

bool is_within(const fs::path& child, const fs::path& parent) {
  auto c = child.begin(), p = parent.begin();
  for (; p != parent.end(); ++p, ++c) {
    if (p->empty()) continue;  // trailing separator
    if (c == child.end() || *c != *p) return false;
  }
  return true;
}

}  // namespace

OutputFolder::OutputFolder(const std::string& folder, const std::vector<std::string>& inputs) {
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(fs::absolute(folder), ec);
  for (const auto& in : inputs) {
    if (in.rfind("/vsi", 0) == 0) continue;
    const fs::path p = fs::weakly_canonical(fs::absolute(in), ec);
    if (p == out || is_within(p, out)) {
      ErrorContext c;
      c.file = folder;
      c.step = "preparing the output folder";
      throw Error(ErrorKind::bad_model,
                  p == out ? "the output folder is an input file (" + in + ")"
                           : "the output folder holds an input file (" + in + ")",
                  c, "choose an output folder of its own, e.g. --out results/lofdal");
    }
  }
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) {
    ErrorContext c;
    c.file = folder;
    c.step = "preparing the output folder";
    throw Error(ErrorKind::run_failed, "cannot be created: " + ec.message(), c,
                "check the path and your permission to write there");
  }
  m_folder = out.string();
  std::string tmpl = (out / ".prospect-staging-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    ErrorContext c;
    c.file = folder;
    c.step = "preparing the output folder";
    throw Error(ErrorKind::run_failed, "is not writable", c,
                "choose a folder you can write to (--out DIR)");
  }
  m_staging = tmpl;
}

OutputFolder::~OutputFolder() {
  std::error_code ec;
  fs::remove_all(m_staging, ec);
}

std::string OutputFolder::final_path(const std::string& name) const {
  return (fs::path(m_folder) / name).string();
}

std::string OutputFolder::staged_path(const std::string& name) const {
  return (fs::path(m_staging) / name).string();
}

void OutputFolder::publish(const std::string& name) {
  std::error_code ec;
  fs::create_directories(fs::path(final_path(name)).parent_path(), ec);
  fs::rename(staged_path(name), final_path(name), ec);
  if (ec) {
    ErrorContext c;
    c.file = final_path(name);
    c.step = "moving the output into place";
    throw Error(ErrorKind::run_failed, ec.message(), c);
  }
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      ErrorContext c;
      c.file = path;
      c.step = "writing";
      throw Error(ErrorKind::run_failed, "could not be written (disk full?)", c);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    ErrorContext c;
    c.file = path;
    throw Error(ErrorKind::run_failed, "could not be moved into place: " + ec.message(), c);
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace prospect
