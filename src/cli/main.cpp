#include <iostream>

#include "prospect/cli/cli.hpp"

int main(int argc, char** argv) {
  return prospect::run_cli(std::vector<std::string>(argv, argv + argc), std::cout, std::cerr);
}
