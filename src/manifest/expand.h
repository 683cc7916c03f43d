// $(VAR) expansion with Kubernetes' exact rules
// (k8s.io/kubernetes third_party/forked/golang/expansion):
//   "$(NAME)"  -> lookup(NAME) if it returns a value, else "$(NAME)" left as is
//   "$$"       -> "$"  (so "$$(NAME)" yields the literal "$(NAME)")
//   "$x"       -> "$x" for any other character x; a trailing "$" stays
//   "$(" without a closing ")" stays as written.
// Used for env values (lookup = the env vars defined before this one, then none),
// and for command/args (lookup = the container's final env).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace podlet::manifest {

using VarLookup = std::function<std::optional<std::string>(std::string_view)>;

std::string expand_vars(std::string_view input, const VarLookup& lookup);

}  // namespace podlet::manifest
