#include "torch_qor_evaluator.h"

#include "core/qor/qor_cache.h"
#include "core/util/atomic_file.h"
#include "dataset_loaders.h"
#include "fast_training.h"

#include <filesystem>

namespace codesign::train {

std::string weightsPathFor(const std::string& weightsDir, const Project& project,
                           const std::string& designHash) {
    namespace fs = std::filesystem;
    fs::path dir;
    if (!weightsDir.empty())
        dir = weightsDir;
    else if (!project.sourceFile.empty())
        dir = fs::path(projectDataDir(project.sourceFile)) / "weights";
    else
        return {};
    return (dir / (designHash + ".bin")).string();
}

Result<std::unique_ptr<TorchQorEvaluator>> TorchQorEvaluator::create(TorchQorOptions options) {
    std::unique_ptr<TorchQorEvaluator> e(new TorchQorEvaluator(std::move(options)));
    if (!e->options_.data.path.empty()) {
        Result<ImageList> list = loadImageList(e->options_.data.path, e->options_.data.policy);
        if (!list.ok())
            return list.error();
        e->list_ = std::move(list).value();
    }
    return e;
}

Result<const SampleSet*> TorchQorEvaluator::samplesFor(const Shape& input, RunControl& control,
                                                       const PrepareProgress& prepared) {
    if (samples_ && samples_->shape == input)
        return samples_.get();
    samples_.reset(); // one prepared set at a time: they can be large
    Result<SampleSet> set =
        list_ ? prepareSamples(*list_, input, options_.data, control, prepared)
              : syntheticSamples(options_.data.synthetic, input, control, prepared);
    if (!set.ok())
        return set.error();
    samples_ = std::make_unique<SampleSet>(std::move(set).value());
    return samples_.get();
}

QorValue TorchQorEvaluator::evaluateOne(const QorQuery& query, RunControl& control) {
    QorValue v;
    v.source = "torch";
    if (!query.graph || !query.project) {
        v.error = "no network given";
        return v;
    }
    const int design = ++started_;
    TrainProgressFn detail;
    PrepareProgress prepared;
    if (options_.progress) {
        detail = [&](const TrainProgress& p) {
            options_.progress(design, query.designHash, p);
        };
        prepared = [&](std::size_t done, std::size_t total) {
            detail({"prepare", 0, 0, static_cast<int>(done), static_cast<int>(total)});
        };
    }
    const bool reduced = options_.resolution < 1;
    Result<Graph> scaled = reduced ? graphAtResolution(*query.project, options_.resolution)
                                   : Result<Graph>(*query.graph);
    if (!scaled.ok()) {
        v.error = scaled.error().format();
        return v;
    }
    Result<const SampleSet*> samples = samplesFor(scaled->input, control, prepared);
    if (!samples.ok()) {
        v.error = samples.error().format();
        return v;
    }
    Result<TrainResult> trained = trainNetwork(*scaled, **samples, options_.train, control, detail);
    if (!trained.ok()) {
        v.error = trained.error().format();
        return v;
    }
    ++trained_;
    v.qor = trained->metric;
    const std::string path =
        reduced ? std::string()
                : weightsPathFor(options_.weightsDir, *query.project, query.designHash);
    if (!path.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        const Status written =
            writeFileAtomic(path, reference::serializeWeightSet(trained->weights));
        if (!written.ok()) {
            v.error = written.error().format();
            return v;
        }
        v.weightsPath = path;
    }
    return v;
}

std::vector<QorValue> TorchQorEvaluator::evaluate(std::span<const QorQuery> batch,
                                                  RunControl& control,
                                                  const QorProgress& progress) {
    std::vector<QorValue> results;
    results.reserve(batch.size());
    for (const QorQuery& query : batch) {
        if (control.stopRequested()) {
            QorValue cancelled;
            cancelled.source = "torch";
            cancelled.error = "cancelled";
            results.push_back(cancelled);
        } else {
            results.push_back(evaluateOne(query, control));
        }
        if (progress)
            progress(static_cast<int>(results.size()), static_cast<int>(batch.size()));
    }
    return results;
}

Result<std::unique_ptr<QorEvaluator>> makeTorchQorEvaluator(const TorchQorOptions& options) {
    Result<std::unique_ptr<TorchQorEvaluator>> e = TorchQorEvaluator::create(options);
    if (!e.ok())
        return e.error();
    return std::unique_ptr<QorEvaluator>(std::move(e).value());
}

} // namespace codesign::train
