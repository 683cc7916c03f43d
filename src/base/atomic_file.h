// State that must survive a crash is written atomically: temp file in the same
// directory, fsync, rename, fsync of the directory.
#pragma once

#include <string>
#include <string_view>

namespace podlet {

void write_file_atomic(const std::string& path, std::string_view data, int mode = 0644);
// Reads a whole regular file; throws podlet::Error naming the path.
std::string read_file(const std::string& path);

}  // namespace podlet
