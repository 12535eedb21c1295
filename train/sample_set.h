#pragma once

// Training data in memory: every image decoded once, resized to the network input, kept as
// 8-bit planes, with its box as fractions of the image and its class.
#include "core/model/graph.h"
#include "core/util/result.h"
#include "core/util/run_control.h"
#include "labeled_image.h"
#include "synthetic_data.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace codesign::train {

struct SampleSet {
    Shape shape;                      // C x H x W of every image (the network input)
    std::vector<std::uint8_t> pixels; // size() images of C x H x W, channel-major
    std::vector<Box> boxes;           // fractions of the image, 0..1
    std::vector<int> labels;          // index into classNames; -1 when unlabelled
    std::vector<std::string> classNames;
    std::vector<Diagnostic> skipped; // files left out (BadFilePolicy::Skip)

    std::size_t size() const { return boxes.size(); }
    std::size_t imageBytes() const { return static_cast<std::size_t>(shape.elements()); }
    const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * imageBytes(); }
};

// Where the data come from.
struct DataSpec {
    std::string path;        // a DAC-SDC folder or a CSV file; empty: synthetic
    SyntheticSpec synthetic; // used when path is empty
    BadFilePolicy policy = BadFilePolicy::Fail;
    std::size_t maxImages = 0;                      // 0: all; else an evenly spaced subset
    std::size_t memoryLimit = std::size_t(4) << 30; // bytes of prepared pixels
};

using PrepareProgress = std::function<void(std::size_t done, std::size_t total)>;

// Decodes, checks and resizes the listed images to `input` (its channels must be 1 or 3).
// A file that cannot be decoded, or whose size disagrees with its annotation, is fatal or
// skipped per spec.policy; messages name the file and the annotation line.
Result<SampleSet> prepareSamples(const ImageList& list, const Shape& input, const DataSpec& spec,
                                 RunControl& control, const PrepareProgress& progress = {});

// The synthetic set, generated at spec.synthetic's size (0: the input's) and resized.
Result<SampleSet> syntheticSamples(const SyntheticSpec& spec, const Shape& input,
                                   RunControl& control, const PrepareProgress& progress = {});

// Loads whatever `spec` names, for a network with this input.
Result<SampleSet> loadSamples(const DataSpec& spec, const Shape& input, RunControl& control,
                              const PrepareProgress& progress = {});

} // namespace codesign::train
