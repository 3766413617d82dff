#include <iostream>

#include "tools/cli/cli.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return alignsim::cli::main(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
