// Keeps the systemd library non-empty until its first real source lands.
namespace podlet::systemd_placeholder {
int unused = 0;
}
