#include "runtime/identity.h"

#include <algorithm>
#include <charconv>

namespace podlet::runtime {

namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t pos = text.find(sep);
    out.push_back(text.substr(0, pos));
    if (pos == std::string_view::npos) return out;
    text.remove_prefix(pos + 1);
  }
}

bool parse_id(std::string_view text, uint32_t& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    f(line);
  }
}

}  // namespace

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
  std::vector<PasswdEntry> out;
  for_each_line(text, [&](std::string_view line) {
    auto f = split(line, ':');
    PasswdEntry e;
    if (f.size() < 7 || f[0].empty() || !parse_id(f[2], e.uid) || !parse_id(f[3], e.gid)) return;
    e.name = f[0];
    e.home = f[5];
    out.push_back(std::move(e));
  });
  return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
  std::vector<GroupEntry> out;
  for_each_line(text, [&](std::string_view line) {
    auto f = split(line, ':');
    GroupEntry e;
    if (f.size() < 4 || f[0].empty() || !parse_id(f[2], e.gid)) return;
    e.name = f[0];
    if (!f[3].empty())
      for (auto m : split(f[3], ',')) e.members.emplace_back(m);
    out.push_back(std::move(e));
  });
  return out;
}

bool resolve_identity(const IdentityRequest& request, std::string_view passwd, std::string_view group,
                      Identity& out, std::string& error) {
  auto users = parse_passwd(passwd);
  auto groups = parse_group(group);
  std::string_view user_part = request.user;
  std::string_view group_part;
  if (auto colon = user_part.find(':'); colon != std::string_view::npos) {
    group_part = user_part.substr(colon + 1);
    user_part = user_part.substr(0, colon);
  }

  const PasswdEntry* entry = nullptr;
  out = Identity{};
  if (request.uid) {
    out.uid = *request.uid;
  } else if (!user_part.empty() && !parse_id(user_part, out.uid)) {
    auto it = std::find_if(users.begin(), users.end(), [&](const auto& u) { return u.name == user_part; });
    if (it == users.end()) {
      error = "user \"" + std::string(user_part) + "\" not found in the image's /etc/passwd";
      return false;
    }
    entry = &*it;
    out.uid = it->uid;
  }
  if (!entry) {
    auto it = std::find_if(users.begin(), users.end(), [&](const auto& u) { return u.uid == out.uid; });
    if (it != users.end()) entry = &*it;
  }

  if (request.gid) {
    out.gid = *request.gid;
  } else if (!group_part.empty()) {
    if (!parse_id(group_part, out.gid)) {
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == group_part; });
      if (it == groups.end()) {
        error = "group \"" + std::string(group_part) + "\" not found in the image's /etc/group";
        return false;
      }
      out.gid = it->gid;
    }
  } else if (entry) {
    out.gid = entry->gid;
  }

  auto add_group = [&](uint32_t gid) {
    if (std::find(out.groups.begin(), out.groups.end(), gid) == out.groups.end()) out.groups.push_back(gid);
  };
  if (entry) {
    out.home = entry->home.empty() ? "/" : entry->home;
    for (const auto& g : groups)
      if (std::find(g.members.begin(), g.members.end(), entry->name) != g.members.end()) add_group(g.gid);
  }
  for (uint32_t gid : request.supplemental) add_group(gid);
  return true;
}

}  // namespace podlet::runtime
