#pragma once
// The command-line interface as a library function: main() only calls this,
// so tests run every command in-process.

#include <iosfwd>
#include <string>
#include <vector>

namespace prospect {

// Runs `prospect ARGS...` (args[0] is the program name). Returns the exit code:
// 0 success, 1 run failed, 2 bad command line or model file, 3 bad input data.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prospect
