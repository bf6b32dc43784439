// libFuzzer target: the model-file reader. Any bytes must either parse or be
// refused with a prospect::Error (file:line:col, exit 2 in the CLI); anything
// else -- another exception, a crash, a hang, unbounded memory -- is a finding.
// Build and run: tools/fuzz/run.sh (docs/reliability.md).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "prospect/config/model_file.hpp"
#include "prospect/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    prospect::parse_model(text, "/fuzz/model.yaml");
  } catch (const prospect::Error&) {
    // Refused with a message: what bad input should get.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "escaped the model reader as %s: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
  return 0;
}
