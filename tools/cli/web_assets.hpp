#pragma once
// The files under tools/web/, compiled into the binary (no CDN, no files next to the binary):
// `alignsim serve` serves them and `alignsim report` inlines them into one HTML file.
#include <string_view>
#include <vector>

namespace alignsim::cli {

struct WebAsset {
  std::string_view path;          // relative to tools/web/, e.g. "vendor/echarts.min.js"
  std::string_view content_type;  // from the file's extension
  std::string_view data;
};

/// Every embedded file, sorted by path.
const std::vector<WebAsset>& web_assets();

/// The embedded file at `path` (relative to tools/web/), or nullptr.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace alignsim::cli
