// The engine (sim/) and the experiment library (experiment/) know no model: no line of their
// code names the alignment model's ontology. Comments may (they explain the generic mechanism
// with an example); the code may not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace alignsim {
namespace {

namespace fs = std::filesystem;

// The words issue 9 lists: the alignment model's kinds, focal power, rivalry and outcomes.
const std::regex kModelWords("great_power|small_state|focal|rivalry|rivalries|alignment|motive");

// `line` without its `//` comment (a `//` inside a string literal is kept: a URL, say).
std::string code_of(const std::string& line) {
  bool in_string = false;
  for (std::size_t k = 0; k + 1 < line.size(); ++k) {
    if (line[k] == '"' && (k == 0 || line[k - 1] != '\\')) in_string = !in_string;
    if (!in_string && line[k] == '/' && line[k + 1] == '/') return line.substr(0, k);
  }
  return line;
}

TEST(EngineVocabulary, NoModelWordsInTheEngineOrTheExperimentLibrary) {
  std::vector<std::string> hits;
  std::size_t files = 0;
  for (const char* folder : {"sim", "experiment"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ALIGNSIM_SOURCE_DIR) / folder)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".txt") continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        // CMake comments start with '#'; "alignsim" is the project's name, not the model's.
        const std::string code = std::regex_replace(
            ext == ".txt" ? line.substr(0, line.find('#')) : code_of(line), std::regex("alignsim"), "");
        if (std::regex_search(code, kModelWords))
          hits.push_back(entry.path().lexically_relative(ALIGNSIM_SOURCE_DIR).string() + ":" + std::to_string(n) + ": " + line);
      }
    }
  }
  EXPECT_GT(files, 20u);
  std::string all;
  for (const auto& h : hits) all += h + "\n";
  EXPECT_TRUE(hits.empty()) << all;
}

TEST(EngineVocabulary, TheCheckFindsAWordInCode) {
  // The filter itself: code is searched, comments are not.
  EXPECT_TRUE(std::regex_search(code_of("  s.focal = 0;  // the focal power"), kModelWords));
  EXPECT_FALSE(std::regex_search(code_of("  x = 0;  // the focal power"), kModelWords));
  EXPECT_TRUE(std::regex_search(code_of("  f(\"http://a\", rivalry);"), kModelWords));
}

}  // namespace
}  // namespace alignsim
