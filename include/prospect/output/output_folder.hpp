#pragma once
// The output folder: refuses folders that hold or are inputs, stages every file
// in a hidden scratch folder inside it (same file system, so a rename is
// atomic) and moves finished files into place one by one. A run that fails or
// is killed never leaves a file under a final name that is not complete.

#include <string>
#include <vector>

namespace prospect {

class OutputFolder {
 public:
  // Creates `folder` if needed; throws Error(bad_model) when it is or holds an input.
  OutputFolder(const std::string& folder, const std::vector<std::string>& input_files);
  ~OutputFolder();  // removes the staging folder
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::string& folder() const { return m_folder; }
  const std::string& staging() const { return m_staging; }
  std::string final_path(const std::string& name) const;
  std::string staged_path(const std::string& name) const;
  // Renames staged_path(name) to final_path(name).
  void publish(const std::string& name);

 private:
  std::string m_folder;
  std::string m_staging;
};

// Writes text to path atomically (temporary sibling, then rename).
void write_file_atomically(const std::string& path, const std::string& text);

// A whole file's bytes ("" when it cannot be read).
std::string read_text_file(const std::string& path);

}  // namespace prospect
