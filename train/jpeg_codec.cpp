#include "jpeg_codec.h"

#include <cstdint>
#include <memory>
#include <turbojpeg.h>

namespace codesign::train {
namespace {

constexpr std::int64_t kMaxPixels = 100'000'000; // a bound on what a file can make us allocate

struct HandleDeleter {
    void operator()(void* handle) const { tjDestroy(handle); }
};
using Handle = std::unique_ptr<void, HandleDeleter>;

struct BufferDeleter {
    void operator()(unsigned char* buffer) const { tjFree(buffer); }
};

std::string lastError(void* handle) {
    return tjGetErrorStr2(handle);
}

} // namespace

Result<Image> decodeJpeg(std::string_view bytes, int channels) {
    if (channels != 1 && channels != 3)
        return makeError("JPEG images decode to 1 or 3 channels, not " + std::to_string(channels));
    Handle handle(tjInitDecompress());
    if (!handle)
        return makeError("cannot start the JPEG decoder");
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto size = static_cast<unsigned long>(bytes.size());
    int width = 0;
    int height = 0;
    int subsampling = 0;
    int colorspace = 0;
    if (tjDecompressHeader3(handle.get(), data, size, &width, &height, &subsampling, &colorspace) !=
        0)
        return makeError("not a readable JPEG (" + lastError(handle.get()) + ")");
    if (width <= 0 || height <= 0)
        return makeError("the JPEG has no pixels");
    if (std::int64_t(width) * height > kMaxPixels)
        return makeError("the JPEG is " + std::to_string(width) + "x" + std::to_string(height) +
                         " pixels; images above " + std::to_string(kMaxPixels / 1000000) +
                         " megapixels are refused");
    Image image(width, height, channels);
    const int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
    if (tjDecompress2(handle.get(), data, size, image.pixels.data(), width, 0, height, format,
                      TJFLAG_ACCURATEDCT) != 0)
        return makeError("corrupt JPEG (" + lastError(handle.get()) + ")");
    return image;
}

Result<std::string> encodeJpeg(const Image& image, int quality) {
    if (image.channels != 1 && image.channels != 3)
        return makeError("only grey and RGB images can be written as JPEG");
    Handle handle(tjInitCompress());
    if (!handle)
        return makeError("cannot start the JPEG encoder");
    unsigned char* out = nullptr;
    unsigned long size = 0;
    const int format = image.channels == 1 ? TJPF_GRAY : TJPF_RGB;
    const int sampling = image.channels == 1 ? TJSAMP_GRAY : TJSAMP_420;
    const int rc = tjCompress2(handle.get(), image.pixels.data(), image.width, 0, image.height,
                               format, &out, &size, sampling, quality, TJFLAG_ACCURATEDCT);
    std::unique_ptr<unsigned char, BufferDeleter> owned(out);
    if (rc != 0)
        return makeError("cannot encode the JPEG (" + lastError(handle.get()) + ")");
    return std::string(reinterpret_cast<const char*>(out), size);
}

} // namespace codesign::train
