#pragma once

#include "../util/result.h"
#include "design_features.h"
#include "qor_evaluator.h"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace codesign {

struct QorRecord {
    std::string hash;
    QorValue value;
    DesignFeatures features;
};

// Measured QoR by design hash, kept in a CSV file beside the project
// (<dir>/<stem>.codesign/qor-cache.csv) so that nothing is measured twice, across runs.
// Each record is appended as one line and flushed; a line cut short by a crash is skipped
// on the next load. Predictions are never cached. Thread-safe.
class QorCache {
public:
    QorCache() = default; // in memory only

    // Opens (creating the folder and file when missing) and loads the cache.
    static Result<std::shared_ptr<QorCache>> open(const std::string& path);

    std::optional<QorRecord> find(const std::string& hash) const;
    Status store(const QorRecord& record);
    std::vector<QorRecord> records() const;
    std::size_t size() const;
    int skippedLines() const { return skipped_; }
    const std::string& path() const { return path_; }

private:
    mutable std::mutex mutex_;
    std::string path_;
    std::vector<QorRecord> records_;
    std::unordered_map<std::string, std::size_t> index_;
    int skipped_ = 0;
};

// <dir>/<stem>.codesign for a project file: where its cache, runs and weights live.
std::string projectDataDir(const std::string& projectPath);

// QoR records from a CSV with a header: qor and every feature column
// (DesignFeatures::names()) are required; hash, uncertainty, source, weights optional.
// Malformed rows are errors with their line.
Result<std::vector<QorRecord>> readQorCsv(const std::string& path);
std::string qorCsvHeader();
std::string qorCsvLine(const QorRecord& record);

// Looks designs up in the cache first and sends only the misses on; stores what comes
// back, when the inner evaluator's results are cacheable.
class CachedQorEvaluator : public QorEvaluator {
public:
    CachedQorEvaluator(QorEvaluator& inner, std::shared_ptr<QorCache> cache)
        : inner_(inner), cache_(std::move(cache)) {}
    std::string name() const override { return inner_.name(); }
    bool predicts() const override { return inner_.predicts(); }
    bool cacheable() const override { return inner_.cacheable(); }
    int preferredBatch() const override { return inner_.preferredBatch(); }
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                   const QorProgress& progress = {}) override;
    int hits() const { return hits_; }

private:
    QorEvaluator& inner_;
    std::shared_ptr<QorCache> cache_;
    int hits_ = 0;
};

} // namespace codesign
