#include "project_edits.h"

#include <algorithm>

namespace codesign::edits {
namespace {

template <class T> bool validRow(const std::vector<T>& list, int row) {
    return row >= 0 && row < static_cast<int>(list.size());
}

template <class T> int clampInsertRow(const std::vector<T>& list, int row) {
    const int size = static_cast<int>(list.size());
    return row < 0 || row > size ? size : row;
}

// Moves list[from] so that it lands before the element that was at `to`.
template <class T> bool moveInList(std::vector<T>& list, int from, int to) {
    const int size = static_cast<int>(list.size());
    if (!validRow(list, from))
        return false;
    if (to < 0 || to > size)
        to = size;
    if (to == from || to == from + 1)
        return false;
    T item = std::move(list[static_cast<std::size_t>(from)]);
    list.erase(list.begin() + from);
    const int target = to > from ? to - 1 : to;
    list.insert(list.begin() + target, std::move(item));
    return true;
}

} // namespace

std::string bundleRefusal(Op op) {
    switch (op) {
    case Op::Add:
    case Op::Concat:
        return std::string(opName(op)) +
               " takes its operands by id: put it in the network list, not in a bundle";
    case Op::BboxHead:
        return "bbox_head ends the network on the processor: put it at the end of the network "
               "list, not in a bundle";
    default:
        return {};
    }
}

LayerSpec newLayer(Op op, bool atNetworkLevel) {
    LayerSpec l;
    l.op = op;
    // conv, pwconv and fc take the bundle instance's channels inside a bundle; in the
    // network list they need their own.
    if (atNetworkLevel && (op == Op::Conv || op == Op::PwConv || op == Op::Fc))
        l.channels = op == Op::Fc ? 10 : 64;
    return l;
}

bool hasBundle(const Project& p, int bundle) {
    return validRow(p.bundles, bundle);
}

bool insertBundleLayer(Project& p, int bundle, int row, LayerSpec layer) {
    if (!hasBundle(p, bundle) || !bundleRefusal(layer.op).empty())
        return false;
    auto& layers = p.bundles[static_cast<std::size_t>(bundle)].layers;
    layers.insert(layers.begin() + clampInsertRow(layers, row), std::move(layer));
    return true;
}

bool moveBundleLayer(Project& p, int bundle, int from, int to) {
    return hasBundle(p, bundle) &&
           moveInList(p.bundles[static_cast<std::size_t>(bundle)].layers, from, to);
}

bool removeBundleLayer(Project& p, int bundle, int row) {
    if (!hasBundle(p, bundle))
        return false;
    auto& layers = p.bundles[static_cast<std::size_t>(bundle)].layers;
    if (!validRow(layers, row))
        return false;
    layers.erase(layers.begin() + row);
    return true;
}

bool replaceBundleLayer(Project& p, int bundle, int row, LayerSpec layer) {
    if (!hasBundle(p, bundle))
        return false;
    auto& layers = p.bundles[static_cast<std::size_t>(bundle)].layers;
    if (!validRow(layers, row))
        return false;
    layers[static_cast<std::size_t>(row)] = std::move(layer);
    return true;
}

std::string uniqueBundleName(const Project& p, const std::string& base) {
    if (!p.findBundle(base))
        return base;
    for (int i = 2;; ++i) {
        std::string name = base + "_" + std::to_string(i);
        if (!p.findBundle(name))
            return name;
    }
}

int addBundle(Project& p, const std::string& name, std::vector<LayerSpec> layers) {
    BundleDef def;
    def.name = uniqueBundleName(p, name);
    def.layers = std::move(layers);
    p.bundles.push_back(std::move(def));
    return static_cast<int>(p.bundles.size()) - 1;
}

int instancesOf(const Project& p, const std::string& bundleName) {
    return static_cast<int>(std::count_if(p.network.begin(), p.network.end(), [&](const auto& e) {
        return e.isBundle && e.bundle == bundleName;
    }));
}

std::string renameBundle(Project& p, int bundle, const std::string& newName) {
    if (!hasBundle(p, bundle))
        return "no such bundle";
    if (newName.empty())
        return "a bundle needs a name";
    if (newName.find_first_of(" \t:{}[],#") != std::string::npos)
        return "a bundle name cannot contain spaces or any of : { } [ ] , #";
    BundleDef& def = p.bundles[static_cast<std::size_t>(bundle)];
    if (def.name == newName)
        return {};
    if (p.findBundle(newName))
        return "a bundle named '" + newName + "' exists already";
    for (NetworkEntry& e : p.network)
        if (e.isBundle && e.bundle == def.name)
            e.bundle = newName;
    def.name = newName;
    return {};
}

std::string removeBundle(Project& p, int bundle) {
    if (!hasBundle(p, bundle))
        return "no such bundle";
    const std::string& name = p.bundles[static_cast<std::size_t>(bundle)].name;
    if (const int uses = instancesOf(p, name); uses > 0)
        return "bundle '" + name + "' is used by " + std::to_string(uses) +
               (uses == 1 ? " instance" : " instances") + " of the network; remove them first";
    p.bundles.erase(p.bundles.begin() + bundle);
    return {};
}

bool bundleHasPooling(const Project& p, const std::string& bundleName) {
    const BundleDef* def = p.findBundle(bundleName);
    return def && std::any_of(def->layers.begin(), def->layers.end(), [](const LayerSpec& l) {
               return l.op == Op::MaxPool || l.op == Op::AvgPool;
           });
}

NetworkEntry newInstance(const std::string& bundle, int channels) {
    NetworkEntry e;
    e.isBundle = true;
    e.bundle = bundle;
    e.channels = channels;
    return e;
}

NetworkEntry newSingleLayer(Op op) {
    NetworkEntry e;
    e.isBundle = false;
    e.layer = newLayer(op, true);
    return e;
}

bool insertNetworkEntry(Project& p, int row, NetworkEntry entry) {
    p.network.insert(p.network.begin() + clampInsertRow(p.network, row), std::move(entry));
    return true;
}

bool moveNetworkEntry(Project& p, int from, int to) {
    return moveInList(p.network, from, to);
}

bool removeNetworkEntry(Project& p, int row) {
    if (!validRow(p.network, row))
        return false;
    p.network.erase(p.network.begin() + row);
    return true;
}

bool replaceNetworkEntry(Project& p, int row, NetworkEntry entry) {
    if (!validRow(p.network, row))
        return false;
    p.network[static_cast<std::size_t>(row)] = std::move(entry);
    return true;
}

void setWeightBits(Project& p, int bits) {
    p.precision.weights.width = bits;
    p.precision.weights.integer = std::min(p.precision.weights.integer, bits);
}

void setActivationBits(Project& p, int bits) {
    p.precision.activations.width = bits;
    p.precision.activations.integer = std::min(p.precision.activations.integer, bits);
}

} // namespace codesign::edits
