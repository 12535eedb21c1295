#include "sample_set.h"

#include "dataset_loaders.h"
#include "jpeg_codec.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace codesign::train {
namespace {

Status checkInput(const Shape& input) {
    if (input.c != 1 && input.c != 3)
        return makeError("the network takes " + std::to_string(input.c) +
                         " input channels; image data have 1 (grey) or 3 (RGB)");
    if (input.h < 1 || input.w < 1)
        return makeError("the network input has no pixels");
    return okStatus();
}

Status checkMemory(std::size_t count, const Shape& input, std::size_t limit) {
    const std::size_t need = count * static_cast<std::size_t>(input.elements());
    if (need <= limit)
        return okStatus();
    return makeError(std::to_string(count) + " images of " + formatShape(input) + " need " +
                     std::to_string(need >> 20) + " MiB, more than the limit of " +
                     std::to_string(limit >> 20) +
                     " MiB: use fewer images (--max-images) or a smaller input resize");
}

std::string readFile(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs body(i) for i in [0, n) on a few threads; stops handing out work when asked to.
template <class Body> void parallelFor(std::size_t n, RunControl& control, Body body) {
    const unsigned workers =
        std::max(1u, std::min(std::thread::hardware_concurrency(), static_cast<unsigned>(n)));
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < n && !control.stopRequested(); i = next++)
            body(i);
    };
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < workers; ++t)
        threads.emplace_back(work);
    work();
    for (std::thread& t : threads)
        t.join();
}

// One decoded, checked and resized image, or why not.
struct Prepared {
    std::vector<std::uint8_t> planes;
    Box box;
    std::optional<Diagnostic> error;
};

Prepared prepareOne(const LabeledImage& item, const Shape& input) {
    Prepared p;
    auto fail = [&](const std::string& message) {
        Diagnostic d = makeError(message + " (listed at " + item.origin + ")");
        d.file = item.imagePath;
        p.error = d;
        return p;
    };
    bool readOk = false;
    const std::string bytes = readFile(item.imagePath, readOk);
    if (!readOk)
        return fail("cannot read the image");
    Result<Image> image = decodeJpeg(bytes, input.c);
    if (!image.ok())
        return fail(image.error().message);
    if (item.declaredWidth > 0 && item.declaredHeight > 0 &&
        (item.declaredWidth != image->width || item.declaredHeight != image->height))
        return fail("the annotation says " + std::to_string(item.declaredWidth) + "x" +
                    std::to_string(item.declaredHeight) + ", the image is " +
                    std::to_string(image->width) + "x" + std::to_string(image->height));
    const double w = image->width;
    const double h = image->height;
    const Box& b = item.box;
    if (b.x1 >= w || b.y1 >= h || b.x2 > w + 1 || b.y2 > h + 1)
        return fail("the box lies outside the " + std::to_string(image->width) + "x" +
                    std::to_string(image->height) + " image");
    p.box = {std::clamp(b.x1 / w, 0.0, 1.0), std::clamp(b.y1 / h, 0.0, 1.0),
             std::clamp(b.x2 / w, 0.0, 1.0), std::clamp(b.y2 / h, 0.0, 1.0)};
    const Image resized = resizeImage(*image, input.w, input.h);
    p.planes.resize(static_cast<std::size_t>(input.elements()));
    toPlanes(resized, p.planes.data());
    return p;
}

// An evenly spaced subset of at most `limit` items (0: all), in order.
std::vector<std::size_t> subset(std::size_t total, std::size_t limit) {
    const std::size_t n = limit > 0 ? std::min(limit, total) : total;
    std::vector<std::size_t> picked(n);
    for (std::size_t i = 0; i < n; ++i)
        picked[i] = i * total / n;
    return picked;
}

} // namespace

Result<SampleSet> prepareSamples(const ImageList& list, const Shape& input, const DataSpec& spec,
                                 RunControl& control, const PrepareProgress& progress) {
    if (Status s = checkInput(input); !s.ok())
        return s.error();
    const std::vector<std::size_t> picked = subset(list.items.size(), spec.maxImages);
    if (Status s = checkMemory(picked.size(), input, spec.memoryLimit); !s.ok())
        return s.error();

    std::vector<Prepared> prepared(picked.size());
    std::size_t done = 0;
    std::mutex progressMutex;
    parallelFor(picked.size(), control, [&](std::size_t i) {
        prepared[i] = prepareOne(list.items[picked[i]], input);
        if (progress) { // under the lock, so that the counts arrive in order
            std::lock_guard lock(progressMutex);
            progress(++done, picked.size());
        }
    });
    if (control.stopRequested())
        return makeError("cancelled");

    SampleSet set;
    set.shape = input;
    set.skipped = list.skipped;
    std::map<std::string, int> classes;
    for (std::size_t i : picked)
        if (!list.items[i].label.empty())
            classes.emplace(list.items[i].label, 0);
    for (auto& [name, index] : classes) {
        index = static_cast<int>(set.classNames.size());
        set.classNames.push_back(name);
    }
    set.pixels.reserve(picked.size() * set.imageBytes());
    for (std::size_t k = 0; k < picked.size(); ++k) {
        Prepared& p = prepared[k];
        if (p.error) {
            if (spec.policy == BadFilePolicy::Fail)
                return *p.error;
            set.skipped.push_back(*p.error);
            continue;
        }
        const LabeledImage& item = list.items[picked[k]];
        set.pixels.insert(set.pixels.end(), p.planes.begin(), p.planes.end());
        set.boxes.push_back(p.box);
        set.labels.push_back(item.label.empty() ? -1 : classes.at(item.label));
        std::vector<std::uint8_t>().swap(p.planes);
    }
    if (set.size() == 0)
        return makeError("no usable images (first problem: " + set.skipped.front().format() + ")");
    return set;
}

Result<SampleSet> syntheticSamples(const SyntheticSpec& spec, const Shape& input,
                                   RunControl& control, const PrepareProgress& progress) {
    if (Status s = checkInput(input); !s.ok())
        return s.error();
    if (spec.count < 1)
        return makeError("the synthetic set needs at least one image");
    SyntheticSpec sized = spec;
    sized.width = spec.width > 0 ? spec.width : input.w;
    sized.height = spec.height > 0 ? spec.height : input.h;
    SampleSet set;
    set.shape = input;
    const auto count = static_cast<std::size_t>(spec.count);
    set.pixels.resize(count * set.imageBytes());
    set.boxes.resize(count);
    set.labels.resize(count);
    for (int s = 0; s < kSyntheticShapes; ++s)
        set.classNames.emplace_back(syntheticShapeName(s));
    std::size_t done = 0;
    std::mutex progressMutex;
    parallelFor(count, control, [&](std::size_t i) {
        SyntheticSample sample = syntheticSample(sized, static_cast<int>(i));
        const Image image = resizeImage(convertChannels(sample.image, input.c), input.w, input.h);
        toPlanes(image, set.pixels.data() + i * set.imageBytes());
        set.boxes[i] = sample.box;
        set.labels[i] = sample.shape;
        if (progress) { // under the lock, so that the counts arrive in order
            std::lock_guard lock(progressMutex);
            progress(++done, count);
        }
    });
    if (control.stopRequested())
        return makeError("cancelled");
    return set;
}

Result<SampleSet> loadSamples(const DataSpec& spec, const Shape& input, RunControl& control,
                              const PrepareProgress& progress) {
    if (spec.path.empty())
        return syntheticSamples(spec.synthetic, input, control, progress);
    Result<ImageList> list = loadImageList(spec.path, spec.policy);
    if (!list.ok())
        return list.error();
    return prepareSamples(*list, input, spec, control, progress);
}

} // namespace codesign::train
