// Keeps the manifest library non-empty until its first real source lands.
namespace podlet::manifest_placeholder {
int unused = 0;
}
