#include "tools/cli/report.hpp"

#include <boost/program_options.hpp>
#include <ctime>
#include <filesystem>

#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "tools/cli/report_run.hpp"
#include "tools/cli/report_sweep.hpp"
#include "tools/cli/web_assets.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace alignsim::cli {

namespace {

constexpr const char* kVersion = ALIGNSIM_VERSION;  // as `alignsim --version`

std::string asset(const char* path) {
  const WebAsset* a = find_web_asset(path);
  if (!a) throw RuntimeError(std::string("this alignsim was built without tools/web/") + path);
  return std::string(a->data);
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Text inlined into a <script> or <style> element must not close it early.
std::string inline_safe(std::string text, const char* element) {
  const std::string closing = std::string("</") + element;
  for (std::size_t k = 0; (k = text.find(closing, k)) != std::string::npos; k += 2) text.replace(k, 2, "<\\/");
  return text;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace

std::string render_report_html(const std::string& title, const nlohmann::ordered_json& data) {
  std::string json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // '<' only occurs inside JSON strings, where \u003c is the same character.
  std::string safe;
  safe.reserve(json.size());
  for (char c : json) safe += c == '<' ? std::string("\\u003c") : std::string(1, c);

  const std::string tmpl = asset("report.html");
  const std::pair<const char*, std::string> slots[] = {
      {"{{title}}", html_escape(title)},
      {"{{style}}", inline_safe(asset("report.css"), "style")},
      {"{{echarts}}", inline_safe(asset("vendor/echarts.min.js"), "script")},
      {"{{data}}", safe},
      {"{{script}}", inline_safe(asset("report.js"), "script")},
  };
  // One pass over the template, so text substituted in never gets substituted again.
  std::string out;
  out.reserve(tmpl.size() + json.size() + 1300000);
  std::size_t k = 0;
  while (k < tmpl.size()) {
    const std::size_t open = tmpl.find("{{", k);
    if (open == std::string::npos) break;
    out.append(tmpl, k, open - k);
    bool matched = false;
    for (const auto& [slot, text] : slots) {
      if (tmpl.compare(open, std::char_traits<char>::length(slot), slot) == 0) {
        out += text;
        k = open + std::char_traits<char>::length(slot);
        matched = true;
        break;
      }
    }
    if (!matched) {
      out += "{{";
      k = open + 2;
    }
  }
  out.append(tmpl, std::min(k, tmpl.size()), std::string::npos);
  return out;
}

int report_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim report DIR -o FILE.html [--title TEXT]\n\n"
      "Writes one self-contained HTML report (data, script and charts inlined; opens offline)\n"
      "of DIR, which is either a run directory (`alignsim run SCENARIO --out DIR`: trajectories,\n"
      "labels, utility decomposition) or a sweep directory (`alignsim sweep SPEC --out DIR`:\n"
      "phase diagrams, label frequencies, Sobol indices). See docs/reports.md.\n\noptions");
  opts.add_options()("dir", po::value<std::string>()->required(), "run or sweep output directory to report on")(
      "output,o", po::value<std::string>()->required(), "the HTML file to write (its folder must exist)")(
      "title", po::value<std::string>(), "the report's title (default: from the scenario and the kind of directory)")(
      "help,h", "show this help");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    if (vm.count("help")) {
      out << opts << '\n';
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim report --help)");
  }
  const std::string dir = vm["dir"].as<std::string>();
  const std::string output = vm["output"].as<std::string>();

  // Check the output first: a bad path fails before any reading. A symlink is written through
  // to its target (the rename replaces the target, not the link); anything but a regular file
  // or a new name (a device such as /dev/stdout, a fifo, a folder) is refused.
  fs::path out_path(output);
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(out_path, ec))) {
    out_path = fs::weakly_canonical(out_path, ec);
    if (ec) throw UsageError("cannot write '" + output + "': cannot follow the link (" + ec.message() + ")");
  }
  const fs::path folder = out_path.has_parent_path() ? out_path.parent_path() : fs::path(".");
  if (!fs::is_directory(folder))
    throw UsageError("cannot write '" + output + "': folder '" + folder.string() + "' does not exist");
  if (fs::is_directory(out_path)) throw UsageError("cannot write '" + output + "': it is a folder");
  const fs::file_status st = fs::status(out_path, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw UsageError("cannot write '" + output + "': it is not a regular file (a device, a pipe or a socket); choose a file name");

  if (!fs::is_directory(dir)) throw UsageError("'" + dir + "' is not a directory");
  // A sweep with `outputs.timeseries: true` has a timeseries.csv too: its manifest decides.
  const bool sweep = looks_like_sweep_dir(dir), run = !sweep && looks_like_run_dir(dir);
  if (!run && !sweep)
    throw UsageError("'" + dir + "' is neither a run directory (timeseries.csv, summary.json, scenario.resolved.yaml from "
                     "`alignsim run SCENARIO --out DIR`) nor a sweep directory (manifest.json, points.csv, runs.csv "
                     "from `alignsim sweep SPEC --out DIR`)");
  nlohmann::ordered_json data;
  try {
    data = run ? run_report_data(dir) : sweep_report_data(dir);
  } catch (const nlohmann::json::exception& e) {
    // A value of the wrong type in summary.json, explain.json or manifest.json.
    std::string what = e.what();
    const auto bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    throw UsageError("cannot read '" + dir + "': one of its JSON files has a value of the wrong type (" + what +
                     "); was it written by alignsim?");
  }

  std::string title;
  if (vm.count("title")) {
    title = vm["title"].as<std::string>();
  } else if (run) {
    title = data["scenario"]["name"].get<std::string>() + ": run report (seed " +
            std::to_string(data["scenario"]["seed"].get<std::uint64_t>()) + ")";
  } else {
    title = data["sweep"]["scenario"].get<std::string>() + ": sweep report (" +
            data["sweep"]["design"].get<std::string>() + " design)";
  }
  data["title"] = title;
  data["source"] = fs::absolute(dir).lexically_normal().string();
  data["generated"] = utc_now();
  data["version"] = kVersion;

  const std::string html = render_report_html(title, data);
  try {
    write_file_atomically(out_path.string(), html);
  } catch (const RuntimeError& e) {
    throw UsageError(e.what());  // an unwritable output is the user's path
  }
  out << "wrote " << output << " (" << (html.size() + 512) / 1024 << " KB, " << (run ? "run" : "sweep")
      << " report)\n";
  return 0;
}

}  // namespace alignsim::cli
