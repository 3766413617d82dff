// Any bytes as the CSV and JSON files `alignsim report` reads: InputError or a table, never a
// crash; every cell of an accepted table can be read as a number or an integer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/error.hpp"
#include "tools/cli/report_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const alignsim::cli::CsvTable t = alignsim::cli::CsvTable::parse("fuzz.csv", text);
    for (std::size_t r = 0; r < t.rows() && r < 64; ++r)
      for (std::size_t c = 0; c < t.header().size(); ++c) {
        try {
          (void)t.number(r, c);
        } catch (const alignsim::Error&) {
        }
        try {
          (void)t.integer(r, c, 0, 1000000);
        } catch (const alignsim::Error&) {
        }
      }
  } catch (const alignsim::Error&) {
  }
  try {
    const nlohmann::json j = alignsim::cli::parse_json_text("fuzz.json", text);
    const nlohmann::json copy = j;  // deep copies recurse: the depth limit must hold
    (void)copy.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const alignsim::Error&) {
  }
  return 0;
}
