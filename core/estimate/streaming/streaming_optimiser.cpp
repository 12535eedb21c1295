#include "streaming_optimiser.h"

#include "streaming_space.h"

#include <chrono>

namespace codesign {

const char* streamingMethodName(StreamingMethod method) {
    switch (method) {
    case StreamingMethod::Annealing:
        return "annealing";
    case StreamingMethod::Greedy:
        return "greedy";
    case StreamingMethod::Descent:
        return "descent";
    }
    return "descent";
}

StreamingOptimiserResult optimiseStreaming(const StreamingModel& model, StreamingMethod method,
                                           const StreamingOptimiserOptions& options) {
    using Clock = std::chrono::steady_clock;
    const StreamingSpace space(model, options.resourceCap);
    const Clock::time_point start = Clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    StreamingOptimiserResult r;
    r.method = method;
    const FoundBest found = [&] {
        r.secondsToBest = elapsed();
    };
    switch (method) {
    case StreamingMethod::Annealing:
        r.design = annealStreaming(space, options, found);
        break;
    case StreamingMethod::Greedy:
        r.design = greedyStreaming(space, options, found);
        break;
    case StreamingMethod::Descent:
        r.design = descendStreaming(space, options, found);
        break;
    }
    r.seconds = elapsed();
    r.evaluations = space.evaluations();
    r.latencyMs = space.latencyMs(r.design, r.feasible);
    r.fps = r.latencyMs > 0 ? model.settings.batch * 1e3 / r.latencyMs : 0;
    return r;
}

std::vector<StreamingOptimiserResult>
compareStreamingOptimisers(const StreamingModel& model, const StreamingOptimiserOptions& options) {
    std::vector<StreamingOptimiserResult> results;
    for (StreamingMethod m :
         {StreamingMethod::Annealing, StreamingMethod::Greedy, StreamingMethod::Descent})
        results.push_back(optimiseStreaming(model, m, options));
    return results;
}

} // namespace codesign
