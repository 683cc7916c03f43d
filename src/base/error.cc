#include "base/error.h"

#include <cstring>

namespace podlet {

Error system_error(const std::string& what, int err) {
  return Error(what + ": " + std::strerror(err), err);
}

}  // namespace podlet
