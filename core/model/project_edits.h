#pragma once

#include "project.h"

#include <string>

// The edits the GUI makes to a Project, as plain functions on a copy. The document turns
// each result into one undo command; keeping them free of Qt makes them easy to test.
namespace codesign::edits {

// Why `op` cannot be a layer of a bundle; empty when it can. add and concat take their
// operands by id and bbox_head ends the network: they belong to the network list.
std::string bundleRefusal(Op op);

// A new layer with the defaults a user expects when dropping it. At network level the
// layers that choose an output width get channels (there is no instance to take them from).
LayerSpec newLayer(Op op, bool atNetworkLevel);

bool hasBundle(const Project& p, int bundle);
// Rows are clamped to the list: -1 or past the end appends.
bool insertBundleLayer(Project& p, int bundle, int row, LayerSpec layer);
// `to` is the insert-before row in the list as it was (drag and drop semantics).
bool moveBundleLayer(Project& p, int bundle, int from, int to);
bool removeBundleLayer(Project& p, int bundle, int row);
bool replaceBundleLayer(Project& p, int bundle, int row, LayerSpec layer);

std::string uniqueBundleName(const Project& p, const std::string& base);
// Returns the new bundle's index.
int addBundle(Project& p, const std::string& name, std::vector<LayerSpec> layers);
// Renames the bundle and every instance of it; returns why not, or empty.
std::string renameBundle(Project& p, int bundle, const std::string& newName);
// Removes a bundle no instance uses; returns why not, or empty.
std::string removeBundle(Project& p, int bundle);
int instancesOf(const Project& p, const std::string& bundleName);

// Whether the bundle has a layer an instance's `downsample: false` drops (maxpool or
// avgpool, as buildGraph drops them); false for an unknown bundle.
bool bundleHasPooling(const Project& p, const std::string& bundleName);

NetworkEntry newInstance(const std::string& bundle, int channels);
NetworkEntry newSingleLayer(Op op);
bool insertNetworkEntry(Project& p, int row, NetworkEntry entry);
bool moveNetworkEntry(Project& p, int from, int to); // `to` as in moveBundleLayer
bool removeNetworkEntry(Project& p, int row);
bool replaceNetworkEntry(Project& p, int row, NetworkEntry entry);

// The global formats, keeping the integer bits where they fit (as the search does).
void setWeightBits(Project& p, int bits);
void setActivationBits(Project& p, int bits);

} // namespace codesign::edits
