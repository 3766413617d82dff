#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "tools/cli/commands.hpp"

namespace alignsim::cli {

/// `alignsim report DIR -o FILE.html [--title TEXT]`: one self-contained HTML report of a run
/// or sweep directory (docs/reports.md).
int report_command(const Args& args, std::ostream& out, std::ostream& err);

/// The report page for `data` (the JSON the page's script reads), with the template, script,
/// style and ECharts inlined. `<` in the JSON is escaped so no string can end the script block.
std::string render_report_html(const std::string& title, const nlohmann::ordered_json& data);

}  // namespace alignsim::cli
