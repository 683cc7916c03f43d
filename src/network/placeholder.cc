// Keeps the network library non-empty until its first real source lands.
namespace podlet::network_placeholder {
int unused = 0;
}
