// Kernel knobs under /proc/sys/net, which always belong to the network namespace
// of the calling thread.
#pragma once

#include <string>

namespace podlet::network {

// Writes `value` to /proc/sys/<key> (key like "net/ipv4/ip_forward"), skipping the
// write when the value is already set. Throws podlet::Error naming the key.
void set_sysctl(const std::string& key, const std::string& value);
std::string get_sysctl(const std::string& key);
// The same in the network namespace `netns_fd` refers to (the caller's stays as it is).
void set_sysctl_in_netns(int netns_fd, const std::string& key, const std::string& value);

}  // namespace podlet::network
