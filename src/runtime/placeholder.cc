// Keeps the runtime library non-empty until its first real source lands.
namespace podlet::runtime_placeholder {
int unused = 0;
}
