#include "synthetic_data.h"

#include "core/util/atomic_file.h"
#include "core/util/splitmix64.h"
#include "jpeg_codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>

namespace codesign::train {
namespace {

using Colour = std::array<double, 3>;

Colour randomColour(SplitMix64& rng) {
    return {rng.uniform(20, 235), rng.uniform(20, 235), rng.uniform(20, 235)};
}

double distance(const Colour& a, const Colour& b) {
    return std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
}

// Smooth random field in [0, 1): random values on a coarse grid, bilinearly interpolated.
class ValueNoise {
public:
    ValueNoise(SplitMix64& rng, int width, int height, double cell)
        : cell_(cell), cols_(static_cast<int>(width / cell) + 2),
          rows_(static_cast<int>(height / cell) + 2) {
        grid_.resize(std::size_t(cols_) * rows_);
        for (double& v : grid_)
            v = rng.uniform();
    }
    double at(double x, double y) const {
        const double gx = x / cell_;
        const double gy = y / cell_;
        const int ix = static_cast<int>(gx);
        const int iy = static_cast<int>(gy);
        const double fx = gx - ix;
        const double fy = gy - iy;
        auto g = [&](int c, int r) {
            return grid_[std::size_t(r) * cols_ + c];
        };
        const double top = g(ix, iy) * (1 - fx) + g(ix + 1, iy) * fx;
        const double bottom = g(ix, iy + 1) * (1 - fx) + g(ix + 1, iy + 1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

private:
    double cell_;
    int cols_;
    int rows_;
    std::vector<double> grid_;
};

// Whether (u, v), coordinates inside the object's box in [0, 1], is on the shape. Every
// shape touches all four sides of its box, so the box is tight.
bool insideShape(int shape, double u, double v) {
    switch (shape) {
    case 0: // rectangle
        return true;
    case 1: // ellipse
        return (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5) <= 0.25;
    case 2: // triangle, apex up
        return v >= 2 * std::abs(u - 0.5);
    default: // cross (plus sign), arms a third of the box wide
        return std::abs(u - 0.5) <= 1.0 / 6 || std::abs(v - 0.5) <= 1.0 / 6;
    }
}

std::uint8_t toByte(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

std::string_view syntheticShapeName(int shape) {
    static constexpr std::array<std::string_view, kSyntheticShapes> names = {"rectangle", "ellipse",
                                                                             "triangle", "cross"};
    return names[static_cast<std::size_t>(std::clamp(shape, 0, kSyntheticShapes - 1))];
}

SyntheticSample syntheticSample(const SyntheticSpec& spec, int index) {
    const int w = spec.width;
    const int h = spec.height;
    SplitMix64 rng(spec.seed * 0x2545f4914f6cdd1dULL ^
                   (static_cast<std::uint64_t>(index) + 1) * 0x9e3779b97f4a7c15ULL);
    SyntheticSample s;
    s.image = Image(w, h, 3);

    // Background: two colours mixed by a grating plus value noise, and pixel noise.
    const Colour a = randomColour(rng);
    const Colour b = randomColour(rng);
    const double angle = rng.uniform(0, std::numbers::pi);
    const double period = rng.uniform(4, 24);
    const double phase = rng.uniform(0, 2 * std::numbers::pi);
    const double gratingWeight = rng.uniform(0.1, 0.5);
    const ValueNoise noise(rng, w, h, rng.uniform(3, 16));
    const double kx = std::cos(angle) * 2 * std::numbers::pi / period;
    const double ky = std::sin(angle) * 2 * std::numbers::pi / period;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double grating = 0.5 + 0.5 * std::sin(kx * x + ky * y + phase);
            const double t = gratingWeight * grating + (1 - gratingWeight) * noise.at(x, y);
            std::uint8_t* px = s.image.at(x, y);
            for (int c = 0; c < 3; ++c)
                px[c] = toByte(a[c] * (1 - t) + b[c] * t + rng.uniform(-10, 10));
        }

    // The object: a shape, a size and aspect, a colour that stands out from both
    // background colours, a light stripe texture of its own.
    s.shape = rng.below(kSyntheticShapes);
    const double size = rng.uniform(0.15, 0.7) * std::min(w, h);
    const double aspect = std::sqrt(rng.uniform(0.5, 2.0)); // width / height, square-rooted
    const double objW = std::clamp(size * aspect, 4.0, 0.9 * w);
    const double objH = std::clamp(size / aspect, 4.0, 0.9 * h);
    const double x0 = rng.uniform(0, w - objW);
    const double y0 = rng.uniform(0, h - objH);
    Colour colour = randomColour(rng);
    for (int tries = 0; tries < 16 && std::min(distance(colour, a), distance(colour, b)) < 150;
         ++tries)
        colour = randomColour(rng);
    const double stripe = rng.uniform(3, 8);
    const int px0 = static_cast<int>(std::floor(x0));
    const int py0 = static_cast<int>(std::floor(y0));
    const int px1 = std::min(w - 1, static_cast<int>(std::ceil(x0 + objW)));
    const int py1 = std::min(h - 1, static_cast<int>(std::ceil(y0 + objH)));
    for (int y = py0; y <= py1; ++y)
        for (int x = px0; x <= px1; ++x) {
            int covered = 0; // 4x4 samples per pixel: anti-aliased edges
            for (int sy = 0; sy < 4; ++sy)
                for (int sx = 0; sx < 4; ++sx) {
                    const double u = (x + (sx + 0.5) / 4 - x0) / objW;
                    const double v = (y + (sy + 0.5) / 4 - y0) / objH;
                    if (u >= 0 && u <= 1 && v >= 0 && v <= 1 && insideShape(s.shape, u, v))
                        ++covered;
                }
            if (covered == 0)
                continue;
            const double alpha = covered / 16.0;
            const double shade = 0.85 + 0.15 * std::sin((x + y) * 2 * std::numbers::pi / stripe);
            std::uint8_t* p = s.image.at(x, y);
            for (int c = 0; c < 3; ++c)
                p[c] = toByte(p[c] * (1 - alpha) + colour[c] * shade * alpha);
        }
    s.box = {x0 / w, y0 / h, (x0 + objW) / w, (y0 + objH) / h};
    return s;
}

Status writeSyntheticDacSdc(const SyntheticSpec& spec, const std::string& folder) {
    namespace fs = std::filesystem;
    if (spec.width <= 0 || spec.height <= 0)
        return makeError("the synthetic set needs an image size");
    for (int i = 0; i < spec.count; ++i) {
        const SyntheticSample s = syntheticSample(spec, i);
        const fs::path dir = fs::path(folder) / std::string(syntheticShapeName(s.shape));
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) {
            Diagnostic d = makeError("cannot create the folder: " + ec.message());
            d.file = dir.string();
            return d;
        }
        char stem[32];
        std::snprintf(stem, sizeof stem, "%05d", i);
        Result<std::string> jpeg = encodeJpeg(s.image, 95);
        if (!jpeg.ok())
            return jpeg.error();
        if (Status st = writeFileAtomic(dir / (std::string(stem) + ".jpg"), *jpeg); !st.ok())
            return st;
        char xml[1024];
        std::snprintf(xml, sizeof xml,
                      "<annotation>\n  <filename>%s</filename>\n"
                      "  <size><width>%d</width><height>%d</height><depth>3</depth></size>\n"
                      "  <object>\n    <name>%s</name>\n"
                      "    <bndbox><xmin>%.3f</xmin><ymin>%.3f</ymin><xmax>%.3f</xmax>"
                      "<ymax>%.3f</ymax></bndbox>\n  </object>\n</annotation>\n",
                      stem, s.image.width, s.image.height,
                      std::string(syntheticShapeName(s.shape)).c_str(), s.box.x1 * s.image.width,
                      s.box.y1 * s.image.height, s.box.x2 * s.image.width,
                      s.box.y2 * s.image.height);
        if (Status st = writeFileAtomic(dir / (std::string(stem) + ".xml"), xml); !st.ok())
            return st;
    }
    return okStatus();
}

} // namespace codesign::train
