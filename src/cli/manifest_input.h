// Reading the manifest a command is given (FILE or "-" for stdin): loads, prints
// every diagnostic to stderr in file:line:col form, and refuses input with errors.
#pragma once

#include <iosfwd>
#include <string>

#include "manifest/model.h"

namespace podlet::cli {

// Throws podlet::Error ("FILE: N errors in the manifest") after printing the
// diagnostics when the input has errors; warnings are printed and the manifest returned.
manifest::Manifest read_manifest(const std::string& path, std::ostream& diagnostics);

// Is `arg` a manifest path ("-" or an existing file) rather than a pod name?
bool is_manifest_path(const std::string& arg);

}  // namespace podlet::cli
