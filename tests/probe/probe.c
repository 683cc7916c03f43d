/* podlet-probe: run as a test container's command, it reports what it sees from
 * inside as one JSON object on stdout (the runtime tests assert on it).
 *
 *   podlet-probe report [PATH...]   namespaces, credentials, capabilities, seccomp,
 *                                   fds, mounts, /dev, blocked syscalls, and for
 *                                   each PATH: type, device, read/write results
 *   podlet-probe sleep              waits for SIGTERM/SIGINT (then exits 0)
 *   podlet-probe tcp-listen PORT    accepts one connection on 127.0.0.1:PORT, greets it
 *   podlet-probe tcp-connect HOST PORT
 *   podlet-probe ipc-write NAME     SysV shm, POSIX shm and a POSIX message queue
 *   podlet-probe ipc-read NAME      ... read back (another container of the pod)
 *   podlet-probe orphan             leaves an orphan that exits: was it reaped, by whom?
 *   podlet-probe clock              CLOCK_MONOTONIC at its start (benchmarks: time to exec)
 *   podlet-probe tty                fds 0-2 as terminals: names, controlling terminal,
 *                                   session, window size, output flags, its devpts
 *   podlet-probe check-spec EXPECT...
 *                                   compares what it sees with a container spec's
 *                                   expectations (see cmd_check_spec) and reports
 *                                   every difference: {"differences": [...]}
 *
 * libc only, static: test images hold no libc. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- JSON output ---- */

static int first = 1; /* no comma before the next member */

static void json_string(const char* s) {
  putchar('"');
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c == '\n')
      fputs("\\n", stdout);
    else if (c < 0x20 || c >= 0x7f)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static void key(const char* k) {
  if (!first) putchar(',');
  first = 0;
  if (k) {
    json_string(k);
    putchar(':');
  }
}
static void open_obj(const char* k) {
  key(k);
  putchar('{');
  first = 1;
}
static void close_obj(void) {
  putchar('}');
  first = 0;
}
static void open_arr(const char* k) {
  key(k);
  putchar('[');
  first = 1;
}
static void close_arr(void) {
  putchar(']');
  first = 0;
}
static void str(const char* k, const char* v) {
  key(k);
  json_string(v);
}
static void num(const char* k, long long v) {
  key(k);
  printf("%lld", v);
}
static void boolean(const char* k, int v) {
  key(k);
  fputs(v ? "true" : "false", stdout);
}

/* "ok" or the errno's name ("EPERM"). */
static const char* result(int rc, int err) {
  if (rc >= 0) return "ok";
  const char* name = strerrorname_np(err);
  return name ? name : "E?";
}

/* ---- report ---- */

static void report_namespaces(void) {
  static const char* const names[] = {"net", "uts", "ipc", "pid", "mnt", "user", "cgroup", "time"};
  open_obj("ns");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
    if (stat(path, &st) == 0) num(names[i], (long long)st.st_ino);
  }
  close_obj();
}

/* CapInh..CapAmb, NoNewPrivs, Seccomp from /proc/self/status. */
static void report_status(void) {
  FILE* f = fopen("/proc/self/status", "re");
  char line[256];
  static const struct {
    const char *field, *name;
  } caps[] = {
      {"CapInh:", "inh"}, {"CapPrm:", "prm"}, {"CapEff:", "eff"}, {"CapBnd:", "bnd"}, {"CapAmb:", "amb"}};
  if (!f) return;
  open_obj("caps");
  while (fgets(line, sizeof line, f)) {
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; ++i) {
      size_t n = strlen(caps[i].field);
      if (strncmp(line, caps[i].field, n) == 0) {
        char value[32] = "";
        sscanf(line + n, "%31s", value);
        str(caps[i].name, value);
      }
    }
  }
  close_obj();
  rewind(f);
  while (fgets(line, sizeof line, f)) {
    int v;
    if (sscanf(line, "NoNewPrivs: %d", &v) == 1) num("no_new_privs", v);
    if (sscanf(line, "Seccomp: %d", &v) == 1) num("seccomp", v);
  }
  fclose(f);
}

static void report_identity(void) {
  gid_t groups[256];
  int n = getgroups(256, groups);
  char host[HOST_NAME_MAX + 1] = "";
  char cwd[PATH_MAX] = "";
  num("pid", getpid());
  num("ppid", getppid());
  num("uid", getuid());
  num("euid", geteuid());
  num("gid", getgid());
  num("egid", getegid());
  open_arr("groups");
  for (int i = 0; i < n; ++i) num(NULL, groups[i]);
  close_arr();
  gethostname(host, sizeof host - 1);
  str("hostname", host);
  if (getcwd(cwd, sizeof cwd)) str("cwd", cwd);
  str("home", getenv("HOME") ? getenv("HOME") : "");
  str("path_env", getenv("PATH") ? getenv("PATH") : "");
}

/* The processes this pid namespace's /proc shows. */
static void report_proc_pids(void) {
  DIR* d = opendir("/proc");
  struct dirent* e;
  open_arr("proc_pids");
  while (d && (e = readdir(d)))
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9') num(NULL, atoi(e->d_name));
  close_arr();
  if (d) closedir(d);
}

static void report_fds(void) {
  DIR* d = opendir("/proc/self/fd");
  struct dirent* e;
  open_arr("fds");
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d)) continue;
    num(NULL, atoi(e->d_name));
  }
  close_arr();
  if (d) closedir(d);
}

/* /proc/self/mountinfo: "id parent maj:min root mount-point options [tags] - fstype source super". */
static void report_mounts(void) {
  FILE* f = fopen("/proc/self/mountinfo", "re");
  char line[4096];
  open_arr("mounts");
  while (f && fgets(line, sizeof line, f)) {
    char root[1024], point[1024], opts[512], fstype[64], source[1024], super[1024];
    char* dash = strstr(line, " - ");
    if (!dash || sscanf(line, "%*d %*d %*s %1023s %1023s %511s", root, point, opts) != 3) continue;
    if (sscanf(dash + 3, "%63s %1023s %1023s", fstype, source, super) != 3) continue;
    open_obj(NULL);
    str("mount_point", point);
    str("root", root);
    str("fstype", fstype);
    str("source", source);
    str("options", opts);
    str("super_options", super);
    close_obj();
  }
  close_arr();
  if (f) fclose(f);
}

/* -1 when PATH cannot be opened as a directory (errno says why). */
static long dir_entries(const char* path) {
  DIR* d = opendir(path);
  long entries = 0;
  struct dirent* e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) ++entries;
  if (d) closedir(d);
  return d ? entries : -1;
}

static void report_inode(const char* path, const struct stat* st) {
  char type[2] = "?";
  if (S_ISDIR(st->st_mode))
    type[0] = 'd';
  else if (S_ISREG(st->st_mode))
    type[0] = 'f';
  else if (S_ISCHR(st->st_mode))
    type[0] = 'c';
  else if (S_ISBLK(st->st_mode))
    type[0] = 'b';
  else if (S_ISLNK(st->st_mode))
    type[0] = 'l';
  else if (S_ISFIFO(st->st_mode))
    type[0] = 'p';
  else if (S_ISSOCK(st->st_mode))
    type[0] = 's';
  str("type", type);
  num("mode", st->st_mode & 07777);
  if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
    num("major", major(st->st_rdev));
    num("minor", minor(st->st_rdev));
  }
  if (S_ISLNK(st->st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = '\0';
    str("target", target);
  }
}

/* What a process sees at PATH: type, filesystem, whether it reads anything and
 * whether it can be opened for writing (never written to). */
static void report_path(const char* path) {
  struct stat st;
  open_obj(path);
  if (lstat(path, &st) < 0) {
    str("lstat", result(-1, errno));
    close_obj();
    return;
  }
  report_inode(path, &st);
  struct statfs fs;
  struct statvfs vfs;
  if (statfs(path, &fs) == 0) num("fs_magic", (long long)fs.f_type);
  if (statvfs(path, &vfs) == 0) boolean("rdonly", (vfs.f_flag & ST_RDONLY) != 0);
  if (S_ISDIR(st.st_mode)) {
    long entries = dir_entries(path);
    str("opendir", entries >= 0 ? "ok" : result(-1, errno));
    num("entries", entries < 0 ? 0 : entries);
  } else if (!S_ISLNK(st.st_mode)) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    str("open_read", result(fd, errno));
    if (fd >= 0) {
      char buf[4096];
      ssize_t n = read(fd, buf, sizeof buf);
      num("read_bytes", n);
      if (n < 0) str("read", result(-1, errno));
      close(fd);
    }
    fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    str("open_write", result(fd, errno));
    if (fd >= 0) close(fd);
  }
  close_obj();
}

static void report_dev(void) {
  DIR* d = opendir("/dev");
  struct dirent* e;
  open_obj("dev");
  while (d && (e = readdir(d))) {
    char path[PATH_MAX];
    struct stat st;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "/dev/%s", e->d_name);
    if (lstat(path, &st) < 0) continue;
    open_obj(e->d_name);
    report_inode(path, &st);
    close_obj();
  }
  if (d) closedir(d);
  close_obj();
}

/* Each call runs in a forked child so that one that succeeds changes nothing here. */
static int try_in_child(int which) {
  pid_t pid = fork();
  if (pid == 0) {
    long rc = -1;
    switch (which) {
      case 0:
        rc = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
        break;
      case 1:
        rc = unshare(CLONE_NEWUSER);
        break;
      case 2:
        rc = unshare(CLONE_NEWNS);
        break;
      case 3:
        rc = syscall(SYS_mount, "none", "/tmp", "tmpfs", 0UL, "");
        break;
    }
    _exit(rc >= 0 ? 0 : errno);
  }
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static void report_syscalls(void) {
  static const char* const names[] = {"keyctl", "unshare_user", "unshare_mnt", "mount"};
  open_obj("syscalls");
  for (int i = 0; i < 4; ++i) {
    int err = try_in_child(i);
    str(names[i], err == 0 ? "ok" : err < 0 ? "fork failed" : result(-1, err));
  }
  close_obj();
}

static int cmd_report(int argc, char** argv) {
  open_obj(NULL);
  report_identity();
  report_namespaces();
  report_status();
  report_fds();
  report_mounts();
  report_dev();
  report_syscalls();
  report_proc_pids();
  open_obj("paths");
  for (int i = 0; i < argc; ++i) report_path(argv[i]);
  close_obj();
  close_obj();
  putchar('\n');
  return 0;
}

/* ---- check-spec: what the container sees against what its spec says ---- */

#define TMPFS_MAGIC_VALUE 0x01021994

static int differences;

static void differ(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void differ(const char* fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  key(NULL);
  json_string(text);
  ++differences;
}

static int is_read_only(const char* path) {
  struct statvfs vfs;
  return statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0;
}

static int is_tmpfs(const char* path) {
  struct statfs fs;
  return statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC_VALUE;
}

/* Masked: a directory is an empty read-only tmpfs, a file is /dev/null. A path the
 * kernel does not have is left alone by the runtime. */
static void check_masked(const char* path) {
  struct stat st;
  if (lstat(path, &st) < 0) return;
  if (S_ISDIR(st.st_mode)) {
    if (!is_tmpfs(path) || dir_entries(path) != 0 || !is_read_only(path))
      differ("masked %s: not an empty read-only tmpfs", path);
  } else if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
    differ("masked %s: not /dev/null", path);
  }
}

static void check_unmasked(const char* path) {
  struct stat st;
  if (lstat(path, &st) < 0) return;
  if (S_ISDIR(st.st_mode) ? is_tmpfs(path) : S_ISCHR(st.st_mode) && major(st.st_rdev) == 1)
    differ("%s: masked, the spec does not mask it", path);
}

static void check_flag(const char* path, int got, const char* want) {
  if (got != atoi(want))
    differ("%s: %s, the spec says %s", path, got ? "read-only" : "writable", got ? "writable" : "read-only");
}

static void check_read_only(const char* path, const char* want) {
  struct stat st;
  if (lstat(path, &st) == 0) check_flag(path, is_read_only(path), want);
}

/* "c:1:3:0666:/dev/null" */
static void check_device(const char* arg) {
  char type;
  unsigned maj, min, mode;
  int used = 0;
  if (sscanf(arg, "%c:%u:%u:%o:%n", &type, &maj, &min, &mode, &used) != 4 || !used) {
    differ("device %s: bad expectation", arg);
    return;
  }
  const char* path = arg + used;
  struct stat st;
  if (lstat(path, &st) < 0) {
    differ("device %s: %s", path, result(-1, errno));
    return;
  }
  int type_ok = type == 'b' ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode);
  if (!type_ok || major(st.st_rdev) != maj || minor(st.st_rdev) != min)
    differ("device %s: not %c %u:%u", path, type, maj, min);
  if ((st.st_mode & 07777) != mode) differ("device %s: mode %o, the spec says %o", path, st.st_mode & 07777, mode);
}

/* A field of /proc/self/status ("CapBnd", "Seccomp") as a number in `base`. */
static int status_value(const char* field, int base, unsigned long long* value) {
  FILE* f = fopen("/proc/self/status", "re");
  char line[256];
  size_t n = strlen(field);
  int found = 0;
  while (f && !found && fgets(line, sizeof line, f))
    if (strncmp(line, field, n) == 0 && line[n] == ':') {
      *value = strtoull(line + n + 1, NULL, base);
      found = 1;
    }
  if (f) fclose(f);
  return found;
}

static void check_status(const char* field, const char* want, int base) {
  unsigned long long got = 0;
  if (!status_value(field, base, &got))
    differ("%s: not in /proc/self/status", field);
  else if (got != strtoull(want, NULL, base))
    differ(base == 16 ? "%s: %llx, the spec says %s" : "%s: %llu, the spec says %s", field, got, want);
}

static void check_ids(const char* what, long got, const char* want) {
  if (got != atol(want)) differ("%s: %ld, the spec says %s", what, got, want);
}

static void check_group(const char* want) {
  gid_t groups[256];
  int n = getgroups(256, groups);
  for (int i = 0; i < n; ++i)
    if ((long)groups[i] == atol(want)) return;
  differ("supplementary group %s missing", want);
}

extern char** environ;

/* Every expected KEY=value is in the environment, and nothing else is but the keys
 * named by --env-extra (what the runtime derives itself). */
static void check_env(int argc, char** argv) {
  for (int i = 0; i + 1 < argc; ++i) {
    if (strcmp(argv[i], "--env") != 0) continue;
    const char* want = argv[i + 1];
    int found = 0;
    for (char** e = environ; *e && !found; ++e) found = strcmp(*e, want) == 0;
    if (!found) differ("env %s missing", want);
  }
  for (char** e = environ; *e; ++e) {
    size_t len = strcspn(*e, "=");
    int known = 0;
    for (int i = 0; i + 1 < argc && !known; ++i) {
      const char* v = argv[i + 1];
      int is_env = strcmp(argv[i], "--env") == 0, is_extra = strcmp(argv[i], "--env-extra") == 0;
      if (is_env) known = strncmp(v, *e, len) == 0 && v[len] == '=';
      if (is_extra) known = strncmp(v, *e, len) == 0 && v[len] == '\0';
    }
    if (!known) differ("env %s: not in the spec", *e);
  }
}

/* check-spec --OPTION VALUE ...: --masked P, --unmasked P, --readonly P, --writable P,
 * --root-ro 0|1, --sys-ro 0|1, --bounding HEX, --effective HEX, --no-new-privs 0|1,
 * --seccomp 0|2, --uid N, --gid N, --group N, --cwd DIR, --env K=V, --env-extra K,
 * --device T:MAJ:MIN:MODE:PATH. Prints the differences; exits 0 (2: bad arguments). */
static int cmd_check_spec(int argc, char** argv) {
  open_obj(NULL);
  open_arr("differences");
  for (int i = 0; i < argc; i += 2) {
    const char* opt = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) {
      differ("option %s: no value", opt);
      break;
    }
    if (strcmp(opt, "--masked") == 0) check_masked(v);
    else if (strcmp(opt, "--unmasked") == 0) check_unmasked(v);
    else if (strcmp(opt, "--readonly") == 0) check_read_only(v, "1");
    else if (strcmp(opt, "--writable") == 0) check_read_only(v, "0");
    else if (strcmp(opt, "--root-ro") == 0) check_flag("/", is_read_only("/"), v);
    else if (strcmp(opt, "--sys-ro") == 0) check_flag("/sys", is_read_only("/sys"), v);
    else if (strcmp(opt, "--bounding") == 0) check_status("CapBnd", v, 16);
    else if (strcmp(opt, "--effective") == 0) {
      check_status("CapEff", v, 16);
      check_status("CapPrm", v, 16);
      check_status("CapInh", "0", 16);
      check_status("CapAmb", "0", 16);
    } else if (strcmp(opt, "--no-new-privs") == 0) check_status("NoNewPrivs", v, 10);
    else if (strcmp(opt, "--seccomp") == 0) check_status("Seccomp", v, 10);
    else if (strcmp(opt, "--uid") == 0) {
      check_ids("uid", getuid(), v);
      check_ids("euid", geteuid(), v);
    } else if (strcmp(opt, "--gid") == 0) {
      check_ids("gid", getgid(), v);
      check_ids("egid", getegid(), v);
    } else if (strcmp(opt, "--group") == 0) check_group(v);
    else if (strcmp(opt, "--cwd") == 0) {
      char cwd[PATH_MAX] = "";
      if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, v) != 0) differ("cwd: %s, the spec says %s", cwd, v);
    } else if (strcmp(opt, "--device") == 0) check_device(v);
    else if (strcmp(opt, "--env") != 0 && strcmp(opt, "--env-extra") != 0) differ("unknown option %s", opt);
  }
  check_env(argc, argv);
  close_arr();
  num("count", differences);
  close_obj();
  putchar('\n');
  return 0;
}

/* ---- terminals (tty: true, exec -t) ---- */

static int cmd_tty(void) {
  open_obj(NULL);
  open_arr("isatty");
  for (int fd = 0; fd <= 2; ++fd) {
    key(NULL);
    fputs(isatty(fd) ? "true" : "false", stdout);
  }
  close_arr();
  const char* name = ttyname(0);
  str("ttyname", name ? name : result(-1, errno));
  struct stat tty_st, pts_st;
  if (fstat(0, &tty_st) == 0) {
    num("owner_uid", tty_st.st_uid);
    boolean("in_dev_pts", stat("/dev/pts", &pts_st) == 0 && tty_st.st_dev == pts_st.st_dev);
  }
  boolean("session_leader", getsid(0) == getpid());
  boolean("foreground", tcgetpgrp(0) == getpgrp());
  int ctty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  str("dev_tty", result(ctty, errno));
  if (ctty >= 0) close(ctty);
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) {
    num("rows", ws.ws_row);
    num("cols", ws.ws_col);
  }
  struct termios t;
  if (tcgetattr(1, &t) == 0) boolean("onlcr", (t.c_oflag & ONLCR) != 0);
  close_obj();
  putchar('\n');
  return 0;
}

/* ---- long-running and pod-sharing commands ---- */

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int cmd_sleep(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  printf("{\"sleeping\":%d}\n", (int)getpid());
  fflush(stdout);
  while (!stop) pause();
  return 0;
}

static const char kGreeting[] = "hello from the other container";

static int cmd_tcp_listen(int port) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (s < 0 || bind(s, (struct sockaddr*)&addr, sizeof addr) < 0 || listen(s, 4) < 0) {
    printf("{\"listening\":false,\"errno\":\"%s\"}\n", result(-1, errno));
    return 1;
  }
  printf("{\"listening\":%d}\n", port);
  fflush(stdout);
  struct pollfd p = {.fd = s, .events = POLLIN};
  if (poll(&p, 1, 120000) != 1) return 1;
  int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return 1;
  ssize_t unused = write(c, kGreeting, sizeof kGreeting - 1);
  (void)unused;
  close(c);
  printf("{\"accepted\":true}\n");
  return 0;
}

static int cmd_tcp_connect(const char* host, int port) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, host, &addr.sin_addr);
  open_obj(NULL);
  if (connect(s, (struct sockaddr*)&addr, sizeof addr) < 0) {
    boolean("connected", 0);
    str("errno", result(-1, errno));
  } else {
    char buf[128] = "";
    ssize_t n = read(s, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = '\0';
    boolean("connected", 1);
    str("received", buf);
  }
  close_obj();
  putchar('\n');
  return 0;
}

static key_t sysv_key(const char* name) {
  unsigned h = 5381;
  for (; *name; ++name) h = h * 33 + (unsigned char)*name;
  return (key_t)(h & 0x7fffffff);
}

static int cmd_ipc(const char* name, int write_side) {
  char object[NAME_MAX], payload[256], buf[256] = "";
  snprintf(object, sizeof object, "/%s", name);
  snprintf(payload, sizeof payload, "podlet-ipc:%s", name);
  open_obj(NULL);

  int id = shmget(sysv_key(name), 4096, write_side ? IPC_CREAT | 0600 : 0);
  char* mem = id < 0 ? (char*)-1 : shmat(id, NULL, 0);
  if (mem != (char*)-1) {
    if (write_side) strcpy(mem, payload);
    str("sysv_shm", write_side || strcmp(mem, payload) == 0 ? "ok" : "mismatch");
    shmdt(mem);
  } else {
    str("sysv_shm", result(-1, errno));
  }

  int fd = shm_open(object, write_side ? O_CREAT | O_RDWR : O_RDONLY, 0600);
  if (fd >= 0 && write_side) {
    str("posix_shm",
        write(fd, payload, strlen(payload)) == (ssize_t)strlen(payload) ? "ok" : result(-1, errno));
  } else if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = '\0';
    str("posix_shm", strcmp(buf, payload) == 0 ? "ok" : "mismatch");
  } else {
    str("posix_shm", result(-1, errno));
  }
  if (fd >= 0) close(fd);

  struct mq_attr attr = {.mq_maxmsg = 1, .mq_msgsize = sizeof buf};
  mqd_t q = mq_open(object, write_side ? O_CREAT | O_WRONLY : O_RDONLY | O_NONBLOCK, 0600, &attr);
  if (q == (mqd_t)-1) {
    str("mqueue", result(-1, errno));
  } else if (write_side) {
    str("mqueue", result(mq_send(q, payload, strlen(payload) + 1, 0), errno));
  } else {
    ssize_t n = mq_receive(q, buf, sizeof buf, NULL);
    str("mqueue", n < 0 ? result(-1, errno) : strcmp(buf, payload) == 0 ? "ok" : "mismatch");
  }
  if (q != (mqd_t)-1) mq_close(q);
  close_obj();
  putchar('\n');
  return 0;
}

/* A grandchild is orphaned, reports who adopted it, and exits: is its zombie
 * reaped (by the pid namespace's init) within 30 s? */
static int cmd_orphan(void) {
  int fds[2];
  if (pipe(fds) < 0) return 1;
  pid_t parent = fork();
  if (parent == 0) {
    pid_t me = getpid();
    pid_t orphan = fork();
    if (orphan == 0) {
      while (getppid() == me) usleep(1000);
      pid_t adopter = getppid();
      pid_t self = getpid();
      ssize_t unused = write(fds[1], &self, sizeof self);
      unused = write(fds[1], &adopter, sizeof adopter);
      (void)unused;
      _exit(0);
    }
    _exit(0);
  }
  close(fds[1]);
  waitpid(parent, NULL, 0);
  pid_t orphan = 0, adopter = 0;
  if (read(fds[0], &orphan, sizeof orphan) != sizeof orphan ||
      read(fds[0], &adopter, sizeof adopter) != sizeof adopter)
    return 1;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)orphan);
  int reaped = 0;
  for (int i = 0; i < 3000 && !reaped; ++i) {
    struct stat st;
    reaped = stat(path, &st) < 0 && errno == ENOENT;
    if (!reaped) usleep(10000);
  }
  printf("{\"orphan\":%d,\"adopted_by\":%d,\"reaped\":%s,\"pid\":%d}\n", (int)orphan, (int)adopter,
         reaped ? "true" : "false", (int)getpid());
  return 0;
}

int main(int argc, char** argv) {
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  const char* cmd = argc > 1 ? argv[1] : "report";
  int rc = 2;
  if (strcmp(cmd, "report") == 0)
    rc = cmd_report(argc > 1 ? argc - 2 : 0, argv + 2);
  else if (strcmp(cmd, "sleep") == 0)
    rc = cmd_sleep();
  else if (strcmp(cmd, "tcp-listen") == 0 && argc == 3)
    rc = cmd_tcp_listen(atoi(argv[2]));
  else if (strcmp(cmd, "tcp-connect") == 0 && argc == 4)
    rc = cmd_tcp_connect(argv[2], atoi(argv[3]));
  else if (strcmp(cmd, "ipc-write") == 0 && argc == 3)
    rc = cmd_ipc(argv[2], 1);
  else if (strcmp(cmd, "ipc-read") == 0 && argc == 3)
    rc = cmd_ipc(argv[2], 0);
  else if (strcmp(cmd, "orphan") == 0)
    rc = cmd_orphan();
  else if (strcmp(cmd, "tty") == 0)
    rc = cmd_tty();
  else if (strcmp(cmd, "check-spec") == 0)
    rc = cmd_check_spec(argc - 2, argv + 2);
  else if (strcmp(cmd, "clock") == 0)
    rc = printf("{\"monotonic_ns\":%lld}\n", (long long)started.tv_sec * 1000000000LL + started.tv_nsec) < 0;
  else
    fprintf(stderr,
            "usage: podlet-probe report [PATH...] | sleep | tcp-listen PORT | tcp-connect HOST PORT | "
            "ipc-write NAME | ipc-read NAME | orphan | clock | tty | check-spec EXPECT...\n");
  fflush(stdout);
  return rc;
}
