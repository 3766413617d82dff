#pragma once
#include <string>

namespace alignsim {

/// Writes `content` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees a half-written file. @throws RuntimeError on I/O failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace alignsim
