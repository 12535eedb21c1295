#include "model_reader.h"

#include "core/model/project_yaml.h"
#include "core/util/atomic_file.h"
#include "onnx/onnx_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>

namespace codesign::modelio {

std::string describeUnsupported(const std::vector<UnsupportedNodes>& list) {
    std::size_t total = 0;
    for (const UnsupportedNodes& u : list)
        total += u.nodes.size();
    std::string s = std::to_string(total) + (total == 1 ? " node" : " nodes") +
                    " cannot be imported (op type, count, reason, nodes):";
    for (const UnsupportedNodes& u : list) {
        s += "\n  " + u.opType + " x" + std::to_string(u.nodes.size()) + ": " + u.reason + ": ";
        for (std::size_t i = 0; i < u.nodes.size(); ++i)
            s += (i ? ", " : "") + u.nodes[i];
    }
    return s;
}

std::span<const ModelReader* const> modelReaders() {
    static const OnnxReader onnx;
    static const std::array<const ModelReader*, 1> all{&onnx};
    return all;
}

const ModelReader* findModelReader(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const ModelReader* r : modelReaders())
        for (std::string_view e : r->extensions())
            if (e == ext)
                return r;
    return nullptr;
}

std::string readerFileFilter() {
    std::string filter;
    for (const ModelReader* r : modelReaders()) {
        std::string patterns;
        for (std::string_view e : r->extensions())
            patterns += (patterns.empty() ? "*" : " *") + std::string(e);
        filter +=
            (filter.empty() ? "" : ";;") + std::string(r->name()) + " models (" + patterns + ")";
    }
    return filter;
}

bool importStep(const ImportOptions& options, int percent, std::string_view step) {
    if (options.progress)
        options.progress(percent, step);
    return options.stopRequested && options.stopRequested();
}

ImportResult importModel(const std::string& modelPath, const ImportOptions& options) {
    const ModelReader* reader = findModelReader(modelPath);
    if (!reader) {
        ImportResult r;
        std::string known;
        for (const ModelReader* m : modelReaders())
            for (std::string_view e : m->extensions())
                known += (known.empty() ? "" : ", ") + std::string(e);
        r.error = makeError("no reader takes this file; the readers take " + known);
        r.error.file = modelPath;
        return r;
    }
    return reader->read(modelPath, options);
}

std::optional<Shape> ModelReader::declaredInput(const std::string&) const {
    return std::nullopt;
}

std::optional<Shape> declaredInput(const std::string& modelPath) {
    const ModelReader* reader = findModelReader(modelPath);
    return reader ? reader->declaredInput(modelPath) : std::nullopt;
}

std::optional<Shape> parseInputShape(std::string_view text) {
    int dims[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        const std::size_t x = i < 2 ? text.find('x') : text.size();
        if (x == std::string_view::npos)
            return std::nullopt;
        const std::string_view part = text.substr(0, x);
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), dims[i]);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || dims[i] < 1 ||
            dims[i] > 1'000'000)
            return std::nullopt;
        text.remove_prefix(i < 2 ? x + 1 : x);
    }
    return Shape{dims[0], dims[1], dims[2]};
}

std::string defaultWeightsFile(const std::string& projectPath) {
    return std::filesystem::path(projectPath).stem().string() + ".weights.bin";
}

Status writeImportedProject(const ImportedModel& model, const std::string& projectPath) {
    namespace fs = std::filesystem;
    const std::string weightsPath = projectWeightsPath(model.project, projectPath);
    bool wroteWeights = false;
    if (!weightsPath.empty()) {
        if (Status s = writeFileAtomic(weightsPath, reference::serializeWeightSet(model.weights));
            !s.ok())
            return s;
        wroteWeights = true;
    }
    if (Status s = writeFileAtomic(projectPath, projectToYaml(model.project)); !s.ok()) {
        std::error_code ec;
        if (wroteWeights)
            fs::remove(weightsPath, ec);
        return s;
    }
    return okStatus();
}

} // namespace codesign::modelio
