#include "streaming_paths.h"

#include <algorithm>
#include <cmath>

namespace codesign {

void PartitionDag::buildSuccessors() {
    const int n = nodes();
    succStart.assign(n + 1, 0);
    for (int v = 0; v < n; ++v)
        for (int i = predStart[v]; i < predStart[v + 1]; ++i)
            ++succStart[preds[i] + 1];
    for (int v = 0; v < n; ++v)
        succStart[v + 1] += succStart[v];
    succs.assign(preds.size(), 0);
    std::vector<int> fill(succStart.begin(), succStart.end() - 1);
    for (int v = 0; v < n; ++v)
        for (int i = predStart[v]; i < predStart[v + 1]; ++i)
            succs[fill[preds[i]]++] = v;
}

namespace {

// Nodes in topological order: by rank.
void topologicalOrder(const PartitionDag& dag, std::vector<int>& order) {
    order.resize(dag.nodes());
    for (int i = 0; i < dag.nodes(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return dag.rank[a] < dag.rank[b]; });
}

// sum_j a_j + (b / size_in_j) * prod_{k <= j} (size_in_k / size_out_k) along `path`, with
// b = interval (pipeline depth) or the node's own latency (buffer depths).
double pathDelay(const PartitionDag& dag, const int* path, int length, double interval,
                 bool useLatency) {
    double total = 0;
    double product = 1;
    for (int j = 0; j < length; ++j) {
        const LayerPerf& p = dag.perf[path[j]];
        product *= double(p.sizeIn) / double(p.sizeOut);
        if (useLatency)
            total += (p.latency / double(p.sizeIn)) * product;
        else
            total += p.depth / p.rateIn + (interval / double(p.sizeIn)) * product;
    }
    return total;
}

} // namespace

double longestPathDepth(const PartitionDag& dag, double interval, std::vector<int>& dist,
                        std::vector<int>& pred, std::vector<int>& path) {
    const int n = dag.nodes();
    dist.assign(n, 0);
    pred.assign(n, -1);
    topologicalOrder(dag, path); // `path` doubles as the order until the path is traced
    int end = -1;
    for (int v : path) {
        for (int i = dag.predStart[v]; i < dag.predStart[v + 1]; ++i) {
            const int u = dag.preds[i];
            if (pred[v] < 0 || dist[u] + 1 > dist[v]) { // the first longest predecessor wins
                dist[v] = dist[u] + 1;
                pred[v] = u;
            }
        }
        if (end < 0 || dist[v] > dist[end])
            end = v;
    }
    path.clear();
    for (int v = end; v >= 0; v = pred[v])
        path.push_back(v);
    std::reverse(path.begin(), path.end());
    return pathDelay(dag, path.data(), static_cast<int>(path.size()), interval, false);
}

namespace {

void markAncestors(const PartitionDag& dag, int node, std::vector<char>& mark) {
    if (mark[node])
        return;
    mark[node] = 1;
    for (int i = dag.predStart[node]; i < dag.predStart[node + 1]; ++i)
        markAncestors(dag, dag.preds[i], mark);
}

// The lowest common ancestor of a and b (themselves included): the common ancestor latest in
// topological order; -1 when they share none.
int lowestCommonAncestor(const PartitionDag& dag, int a, int b) {
    std::vector<char> ofA(dag.nodes(), 0), ofB(dag.nodes(), 0);
    markAncestors(dag, a, ofA);
    markAncestors(dag, b, ofB);
    int best = -1;
    for (int v = 0; v < dag.nodes(); ++v)
        if (ofA[v] && ofB[v] && (best < 0 || dag.rank[v] > dag.rank[best]))
            best = v;
    return best;
}

constexpr int kMaxPaths = 4096; // enough for residual and inception blocks; bounds the work

// Every path from `from` to `to`; for each, its delay, keyed by the node before `to`.
void walkPaths(const PartitionDag& dag, int node, int to, std::vector<int>& stack,
               std::vector<double>& longestVia, int& paths) {
    stack.push_back(node);
    if (node == to) {
        ++paths;
        double depth = 0;
        for (int v : stack)
            depth += dag.perf[v].depth;
        depth += pathDelay(dag, stack.data(), static_cast<int>(stack.size()), 0, true);
        const int via = stack[stack.size() - 2];
        longestVia[via] = std::max(longestVia[via], depth);
    } else {
        for (int i = dag.succStart[node]; i < dag.succStart[node + 1] && paths < kMaxPaths; ++i)
            walkPaths(dag, dag.succs[i], to, stack, longestVia, paths);
    }
    stack.pop_back();
}

} // namespace

void multiportBufferDepths(const PartitionDag& dag, int node, const std::vector<bool>& isSplit,
                           double extraCycles, std::vector<std::int64_t>& depths) {
    const int first = dag.predStart[node], count = dag.predStart[node + 1] - first;
    depths.assign(count, 2);
    int split = -1;
    for (int i = 0; i < count; ++i)
        for (int j = i + 1; j < count; ++j) {
            const int lca = lowestCommonAncestor(dag, dag.preds[first + i], dag.preds[first + j]);
            if (lca >= 0 && (split < 0 || dag.rank[lca] < dag.rank[split]))
                split = lca; // the oldest of the pairs' ancestors
        }
    if (split < 0 || split >= static_cast<int>(isSplit.size()) || !isSplit[split])
        return; // no split layer where the inputs fork: fpgaConvNet leaves the FIFOs at 2
    std::vector<double> longestVia(dag.nodes(), -1.0);
    std::vector<int> stack;
    int paths = 0;
    walkPaths(dag, split, node, stack, longestVia, paths);
    double longest = 0;
    for (int i = 0; i < count; ++i)
        longest = std::max(longest, longestVia[dag.preds[first + i]]);
    for (int i = 0; i < count; ++i) {
        const double own = longestVia[dag.preds[first + i]];
        if (own < 0)
            continue;
        depths[i] = static_cast<std::int64_t>(std::ceil(longest - own)) + 64 +
                    static_cast<std::int64_t>(extraCycles);
    }
}

} // namespace codesign
