#pragma once

// An 8-bit image in memory and the resampling the data sets need.
#include <cstdint>
#include <vector>

namespace codesign::train {

// Interleaved 8-bit pixels, row by row: pixels[(y * width + x) * channels + c].
struct Image {
    int width = 0;
    int height = 0;
    int channels = 0; // 1 (grey) or 3 (RGB)
    std::vector<std::uint8_t> pixels;

    Image() = default;
    Image(int w, int h, int c)
        : width(w), height(h), channels(c), pixels(std::size_t(w) * h * c, 0) {}
    std::uint8_t* at(int x, int y) {
        return pixels.data() + (std::size_t(y) * width + x) * channels;
    }
    const std::uint8_t* at(int x, int y) const {
        return pixels.data() + (std::size_t(y) * width + x) * channels;
    }
};

// Resamples to width x height: an area average where the image shrinks (no aliasing of
// fine textures), bilinear where it grows. Deterministic and separable.
Image resizeImage(const Image& image, int width, int height);

// RGB <-> grey (ITU-R BT.601 luma); the same image when the counts match.
Image convertChannels(const Image& image, int channels);

// Channel-major planes ([c][y][x]) as the networks take them.
void toPlanes(const Image& image, std::uint8_t* out);

} // namespace codesign::train
