#include "tools/cli/web_assets.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace {

std::string read_source(const std::string& rel) {
  std::ifstream in(std::string(ALIGNSIM_SOURCE_DIR) + "/tools/web/" + rel, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WebAssets, EmbedEveryFileByteForByte) {
  const auto* echarts = alignsim::cli::find_web_asset("vendor/echarts.min.js");
  ASSERT_NE(echarts, nullptr);
  EXPECT_EQ(echarts->data, read_source("vendor/echarts.min.js"));
  EXPECT_EQ(echarts->content_type, "text/javascript; charset=utf-8");
  for (const auto& a : alignsim::cli::web_assets()) EXPECT_EQ(a.data, read_source(std::string(a.path))) << a.path;
}

TEST(WebAssets, UnknownPathIsNull) {
  EXPECT_EQ(alignsim::cli::find_web_asset("nope.js"), nullptr);
  EXPECT_EQ(alignsim::cli::find_web_asset("../CMakeLists.txt"), nullptr);
}

}  // namespace
