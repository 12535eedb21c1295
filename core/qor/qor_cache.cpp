#include "qor_cache.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace codesign {
namespace {

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line) {
        if (c == ',') {
            cells.push_back(cell);
            cell.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    cells.push_back(cell);
    return cells;
}

bool toDouble(const std::string& s, double& out) {
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && ptr == end && std::isfinite(out);
}

std::string num(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "0";
}

// Column positions of a header line; -1 for an absent column.
struct Columns {
    int hash = -1, qor = -1, uncertainty = -1, source = -1, weights = -1;
    std::array<int, DesignFeatures::kCount> features{};
};

Columns columnsOf(const std::vector<std::string>& header) {
    Columns c;
    c.features.fill(-1);
    const auto names = DesignFeatures::names();
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string& h = header[i];
        const int idx = static_cast<int>(i);
        if (h == "hash")
            c.hash = idx;
        else if (h == "qor")
            c.qor = idx;
        else if (h == "uncertainty")
            c.uncertainty = idx;
        else if (h == "source")
            c.source = idx;
        else if (h == "weights")
            c.weights = idx;
        for (std::size_t f = 0; f < names.size(); ++f)
            if (h == names[f])
                c.features[f] = idx;
    }
    return c;
}

// Parses one row; returns an empty string or what is wrong with it.
std::string parseRow(const std::vector<std::string>& cells, const Columns& c, QorRecord& r) {
    auto cell = [&](int idx) -> const std::string* {
        return idx >= 0 && idx < static_cast<int>(cells.size()) ? &cells[idx] : nullptr;
    };
    const std::string* qor = cell(c.qor);
    if (!qor || !toDouble(*qor, r.value.qor))
        return "qor is not a number";
    if (const std::string* u = cell(c.uncertainty);
        u && !u->empty() && !toDouble(*u, r.value.uncertainty))
        return "uncertainty is not a number";
    const auto names = DesignFeatures::names();
    for (std::size_t f = 0; f < names.size(); ++f) {
        const std::string* v = cell(c.features[f]);
        if (!v || !toDouble(*v, r.features.values[f]))
            return std::string(names[f]) + " is missing or not a number";
    }
    if (const std::string* h = cell(c.hash))
        r.hash = *h;
    if (const std::string* s = cell(c.source))
        r.value.source = *s;
    if (const std::string* w = cell(c.weights))
        r.value.weightsPath = *w;
    return {};
}

} // namespace

std::string qorCsvHeader() {
    std::string h = "hash,qor,uncertainty,source,weights";
    for (std::string_view n : DesignFeatures::names())
        h += "," + std::string(n);
    return h;
}

std::string qorCsvLine(const QorRecord& r) {
    std::string line = r.hash + "," + num(r.value.qor) + "," + num(r.value.uncertainty) + "," +
                       r.value.source + "," + r.value.weightsPath;
    for (double v : r.features.values)
        line += "," + num(v);
    return line;
}

std::string projectDataDir(const std::string& projectPath) {
    const std::filesystem::path p(projectPath);
    return (p.parent_path() / (p.stem().string() + ".codesign")).string();
}

Result<std::vector<QorRecord>> readQorCsv(const std::string& path) {
    std::ifstream in(path);
    auto error = [&](int line, std::string message) {
        Diagnostic d = makeError(std::move(message), {line, 1});
        d.file = path;
        return d;
    };
    if (!in)
        return error(0, "cannot open the QoR file");
    std::string line;
    if (!std::getline(in, line))
        return error(0, "the QoR file is empty; it needs a header line");
    const Columns columns = columnsOf(splitCsv(line));
    if (columns.qor < 0)
        return error(1, "the header has no 'qor' column (expected: " + qorCsvHeader() + ")");
    for (std::size_t f = 0; f < DesignFeatures::kCount; ++f)
        if (columns.features[f] < 0)
            return error(1, "the header has no '" + std::string(DesignFeatures::names()[f]) +
                                "' column (expected: " + qorCsvHeader() + ")");
    std::vector<QorRecord> records;
    int number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty())
            continue;
        QorRecord r;
        if (std::string why = parseRow(splitCsv(line), columns, r); !why.empty())
            return error(number, why);
        records.push_back(std::move(r));
    }
    return records;
}

namespace {

// Weights paths are written relative to the cache's folder, so that the project folder can
// move and searches can run from any directory; they are read back relative to it.
std::string portableWeightsPath(const std::string& path, const std::string& cachePath) {
    namespace fs = std::filesystem;
    if (path.empty())
        return path;
    std::error_code ec;
    const fs::path base = fs::absolute(fs::path(cachePath).parent_path(), ec);
    const fs::path target = fs::absolute(path, ec);
    if (ec)
        return path;
    const fs::path relative = target.lexically_relative(base);
    return relative.empty() ? path : relative.generic_string();
}

std::string resolveWeightsPath(const std::string& stored, const std::string& cachePath) {
    namespace fs = std::filesystem;
    if (stored.empty() || fs::path(stored).is_absolute())
        return stored;
    return (fs::path(cachePath).parent_path() / stored).lexically_normal().generic_string();
}

} // namespace

Result<std::shared_ptr<QorCache>> QorCache::open(const std::string& path) {
    auto cache = std::make_shared<QorCache>();
    cache->path_ = path;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) {
        Diagnostic d = makeError("cannot create the cache folder: " + ec.message());
        d.file = path;
        return d;
    }
    std::ifstream in(path);
    if (in) {
        std::string line;
        Columns columns;
        bool header = true;
        while (std::getline(in, line)) {
            if (header) {
                columns = columnsOf(splitCsv(line));
                header = false;
                continue;
            }
            QorRecord r;
            // A line cut short by a crash, or edited by hand, is skipped, not fatal.
            if (line.empty() || !parseRow(splitCsv(line), columns, r).empty() || r.hash.empty()) {
                ++cache->skipped_;
                continue;
            }
            r.value.weightsPath = resolveWeightsPath(r.value.weightsPath, cache->path_);
            cache->index_[r.hash] = cache->records_.size();
            cache->records_.push_back(std::move(r));
        }
    } else {
        std::ofstream out(path);
        out << qorCsvHeader() << "\n";
        if (!out) {
            Diagnostic d = makeError("cannot write the QoR cache");
            d.file = path;
            return d;
        }
    }
    return cache;
}

std::optional<QorRecord> QorCache::find(const std::string& hash) const {
    std::lock_guard lock(mutex_);
    auto it = index_.find(hash);
    if (it == index_.end())
        return std::nullopt;
    return records_[it->second];
}

Status QorCache::store(const QorRecord& record) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(record.hash); it != index_.end())
        records_[it->second] = record;
    else {
        index_[record.hash] = records_.size();
        records_.push_back(record);
    }
    if (path_.empty())
        return okStatus();
    QorRecord line = record;
    line.value.weightsPath = portableWeightsPath(record.value.weightsPath, path_);
    std::ofstream out(path_, std::ios::app);
    out << qorCsvLine(line) << "\n";
    out.flush();
    if (!out) {
        Diagnostic d = makeError("cannot append to the QoR cache");
        d.file = path_;
        return d;
    }
    return okStatus();
}

std::vector<QorRecord> QorCache::records() const {
    std::lock_guard lock(mutex_);
    return records_;
}

std::size_t QorCache::size() const {
    std::lock_guard lock(mutex_);
    return records_.size();
}

std::vector<QorValue> CachedQorEvaluator::evaluate(std::span<const QorQuery> batch,
                                                   RunControl& control,
                                                   const QorProgress& progress) {
    std::vector<QorValue> results(batch.size());
    std::vector<QorQuery> misses;
    std::vector<std::size_t> missIndex;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (auto hit = cache_->find(batch[i].designHash)) {
            results[i] = hit->value;
            ++hits_;
        } else {
            misses.push_back(batch[i]);
            missIndex.push_back(i);
        }
    }
    if (!misses.empty()) {
        std::vector<QorValue> fresh = inner_.evaluate(misses, control, progress);
        for (std::size_t k = 0; k < misses.size(); ++k) {
            results[missIndex[k]] = fresh[k];
            if (fresh[k].ok() && !fresh[k].predicted && inner_.cacheable())
                cache_->store({misses[k].designHash, fresh[k], designFeatures(*misses[k].graph)});
        }
    }
    return results;
}

} // namespace codesign
