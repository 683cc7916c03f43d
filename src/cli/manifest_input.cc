#include "cli/manifest_input.h"

#include <sys/stat.h>

#include <iostream>
#include <iterator>

#include <fmt/core.h>

#include "base/atomic_file.h"
#include "base/error.h"

namespace podlet::cli {

manifest::Manifest read_manifest(const std::string& path, std::ostream& diagnostics) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    text = read_file(path);
  }
  manifest::Manifest m = manifest::load_manifest(text, path);
  size_t errors = 0;
  for (const auto& d : m.diagnostics) {
    diagnostics << manifest::format(d) << "\n";
    if (d.is_error()) ++errors;
  }
  if (errors) throw Error(fmt::format("{}: {} error{} in the manifest; nothing was started", path, errors,
                                      errors == 1 ? "" : "s"));
  return m;
}

bool is_manifest_path(const std::string& arg) {
  if (arg == "-") return true;
  struct stat st {};
  return ::stat(arg.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace podlet::cli
