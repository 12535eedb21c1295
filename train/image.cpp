#include "image.h"

#include <algorithm>
#include <cmath>

namespace codesign::train {
namespace {

// One output sample of a 1-D resampling: a run of source samples and their weights.
struct Taps {
    int first = 0;
    std::vector<float> weights;
};

std::vector<Taps> resampleTaps(int from, int to) {
    std::vector<Taps> taps(static_cast<std::size_t>(to));
    const double scale = double(from) / to;
    for (int i = 0; i < to; ++i) {
        Taps& t = taps[static_cast<std::size_t>(i)];
        if (scale > 1) { // shrink: average the source interval [i*scale, (i+1)*scale)
            const double lo = i * scale;
            const double hi = (i + 1) * scale;
            t.first = static_cast<int>(std::floor(lo));
            const int last = std::min(from - 1, static_cast<int>(std::ceil(hi)) - 1);
            for (int s = t.first; s <= last; ++s) {
                const double overlap = std::min(hi, s + 1.0) - std::max(lo, double(s));
                t.weights.push_back(static_cast<float>(overlap / scale));
            }
        } else { // grow: linear between the two nearest source centres
            const double centre = std::clamp((i + 0.5) * scale - 0.5, 0.0, double(from - 1));
            t.first = std::min(static_cast<int>(centre), std::max(0, from - 2));
            const double frac = centre - t.first;
            t.weights.push_back(static_cast<float>(1 - frac));
            if (from > 1)
                t.weights.push_back(static_cast<float>(frac));
        }
    }
    return taps;
}

} // namespace

Image resizeImage(const Image& image, int width, int height) {
    if (image.width == width && image.height == height)
        return image;
    const int c = image.channels;
    const std::vector<Taps> across = resampleTaps(image.width, width);
    const std::vector<Taps> down = resampleTaps(image.height, height);
    // Rows first (source height x target width, in float), then columns.
    std::vector<float> rows(std::size_t(image.height) * width * c, 0.0f);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < width; ++x) {
            const Taps& t = across[static_cast<std::size_t>(x)];
            float* dst = rows.data() + (std::size_t(y) * width + x) * c;
            for (std::size_t k = 0; k < t.weights.size(); ++k) {
                const std::uint8_t* src = image.at(t.first + static_cast<int>(k), y);
                for (int ch = 0; ch < c; ++ch)
                    dst[ch] += t.weights[k] * src[ch];
            }
        }
    Image out(width, height, c);
    std::vector<float> acc(static_cast<std::size_t>(c));
    for (int y = 0; y < height; ++y) {
        const Taps& t = down[static_cast<std::size_t>(y)];
        for (int x = 0; x < width; ++x) {
            std::fill(acc.begin(), acc.end(), 0.0f);
            for (std::size_t k = 0; k < t.weights.size(); ++k) {
                const float* src =
                    rows.data() + ((std::size_t(t.first) + k) * width + std::size_t(x)) * c;
                for (int ch = 0; ch < c; ++ch)
                    acc[static_cast<std::size_t>(ch)] += t.weights[k] * src[ch];
            }
            std::uint8_t* dst = out.at(x, y);
            for (int ch = 0; ch < c; ++ch)
                dst[ch] = static_cast<std::uint8_t>(
                    std::clamp(std::lround(acc[static_cast<std::size_t>(ch)]), 0L, 255L));
        }
    }
    return out;
}

Image convertChannels(const Image& image, int channels) {
    if (image.channels == channels)
        return image;
    Image out(image.width, image.height, channels);
    const std::size_t n = std::size_t(image.width) * image.height;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* src = image.pixels.data() + i * image.channels;
        std::uint8_t* dst = out.pixels.data() + i * channels;
        if (channels == 1) { // luma, integer weights summing to 1000
            dst[0] = static_cast<std::uint8_t>((299 * src[0] + 587 * src[1] + 114 * src[2] + 500) /
                                               1000);
        } else {
            for (int ch = 0; ch < channels; ++ch)
                dst[ch] = src[0];
        }
    }
    return out;
}

void toPlanes(const Image& image, std::uint8_t* out) {
    const std::size_t plane = std::size_t(image.width) * image.height;
    for (std::size_t i = 0; i < plane; ++i)
        for (int ch = 0; ch < image.channels; ++ch)
            out[std::size_t(ch) * plane + i] = image.pixels[i * image.channels + std::size_t(ch)];
}

} // namespace codesign::train
