#include "command_evaluator.h"

#include "../model/project_yaml.h"
#include "../util/atomic_file.h"
#include "../util/child_process.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <yaml-cpp/yaml.h>

namespace codesign {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string substitute(std::string text, const std::string& key, const std::string& value) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
    return text;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Reads {"qor": x, ...} written by the command.
QorValue readResult(const fs::path& outJson, const fs::path& log) {
    QorValue v;
    v.source = "command";
    const std::string hint = " (log: " + log.string() + ")";
    std::error_code ec;
    if (!fs::exists(outJson, ec)) {
        v.error = "the command wrote no " + outJson.filename().string() + hint;
        return v;
    }
    try {
        const YAML::Node root = YAML::Load(readAll(outJson));
        if (!root.IsMap()) {
            v.error =
                outJson.filename().string() + " is not JSON of the form {\"qor\": 0.61}" + hint;
            return v;
        }
        if (!root["qor"].IsDefined()) {
            v.error = outJson.filename().string() + " has no \"qor\" field" + hint;
            return v;
        }
        v.qor = root["qor"].as<double>();
        if (!std::isfinite(v.qor) || v.qor < 0 || v.qor > 1) {
            v.error = "qor " + root["qor"].Scalar() + " is not a fraction between 0 and 1" + hint;
            return v;
        }
        if (root["uncertainty"].IsDefined())
            v.uncertainty = root["uncertainty"].as<double>();
        if (root["weights"].IsDefined())
            v.weightsPath = root["weights"].as<std::string>();
    } catch (const YAML::Exception&) {
        v.error = outJson.filename().string() + " is not JSON of the form {\"qor\": 0.61}" + hint;
    }
    return v;
}

struct Running {
    std::size_t index;
    ChildProcess process;
    Clock::time_point deadline;
    fs::path outJson;
    fs::path log;
};

} // namespace

CommandQorEvaluator::CommandQorEvaluator(CommandEvaluatorOptions options)
    : options_(std::move(options)) {
    options_.jobs = std::max(1, options_.jobs);
    // Absolute, so that the paths given to the command do not depend on where it runs.
    std::error_code ec;
    const fs::path runs = fs::absolute(options_.runsDir, ec);
    if (!ec)
        options_.runsDir = runs.lexically_normal().string();
}

Status CommandQorEvaluator::validateTemplate(const std::string& commandTemplate) {
    Result<std::vector<std::string>> args = splitCommandLine(commandTemplate);
    if (!args.ok())
        return args.error();
    if (commandTemplate.find("{out_json}") == std::string::npos)
        return makeError("the command must write its result to {out_json}; the template does "
                         "not mention it");
    return okStatus();
}

std::vector<QorValue> CommandQorEvaluator::evaluate(std::span<const QorQuery> batch,
                                                    RunControl& control,
                                                    const QorProgress& progress) {
    std::vector<QorValue> results(batch.size());
    std::vector<Running> running;
    std::size_t next = 0;
    int done = 0;
    auto finish = [&](std::size_t index, QorValue value) {
        results[index] = std::move(value);
        ++done;
        if (progress)
            progress(done, static_cast<int>(batch.size()));
    };

    while (next < batch.size() || !running.empty()) {
        // Start designs while there is room.
        while (next < batch.size() && static_cast<int>(running.size()) < options_.jobs) {
            const std::size_t i = next++;
            QorValue failed;
            failed.source = "command";
            if (control.stopRequested()) {
                failed.error = "cancelled";
                finish(i, failed);
                continue;
            }
            const fs::path dir = fs::path(options_.runsDir) / batch[i].designHash;
            std::error_code ec;
            fs::create_directories(dir, ec);
            const fs::path model = dir / "model.yaml";
            const fs::path out = dir / "out.json";
            const fs::path log = dir / "log.txt";
            fs::remove(out, ec);
            if (Status s = writeFileAtomic(model, projectToYaml(*batch[i].project)); !s.ok()) {
                failed.error = s.error().format();
                finish(i, failed);
                continue;
            }
            std::string command =
                substitute(options_.commandTemplate, "{model_yaml}", model.string());
            command = substitute(command, "{out_json}", out.string());
            command = substitute(command, "{workdir}", dir.string());
            Result<std::vector<std::string>> argv = splitCommandLine(command);
            if (!argv.ok()) {
                failed.error = argv.error().message;
                finish(i, failed);
                continue;
            }
            Result<ChildProcess> child =
                ChildProcess::start(*argv, options_.workingDir, log.string());
            if (!child.ok()) {
                failed.error = child.error().message;
                finish(i, failed);
                continue;
            }
            const auto timeout = std::chrono::duration<double>(options_.timeoutSeconds);
            running.push_back({i, std::move(child).value(),
                               Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout),
                               out, log});
        }
        // Collect what ended, enforce timeouts and cancellation.
        for (std::size_t k = 0; k < running.size();) {
            Running& r = running[k];
            QorValue v;
            v.source = "command";
            bool ended = true;
            if (control.stopRequested()) {
                r.process.kill();
                v.error = "cancelled";
            } else if (r.process.finished()) {
                if (r.process.exitCode() != 0)
                    v.error = "the command exited with status " +
                              std::to_string(r.process.exitCode()) + " (log: " + r.log.string() +
                              ")";
                else
                    v = readResult(r.outJson, r.log);
            } else if (Clock::now() > r.deadline) {
                r.process.kill();
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g", options_.timeoutSeconds);
                v.error = std::string("the command timed out after ") + buf +
                          " s (log: " + r.log.string() + ")";
            } else {
                ended = false;
            }
            if (ended) {
                finish(r.index, std::move(v));
                running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
            } else {
                ++k;
            }
        }
        if (!running.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return results;
}

} // namespace codesign
