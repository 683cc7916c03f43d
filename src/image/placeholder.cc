// Keeps the image library non-empty until its first real source lands.
namespace podlet::image_placeholder {
int unused = 0;
}
