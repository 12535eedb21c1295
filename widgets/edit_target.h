#pragma once

namespace codesign {

// What the property panel edits: a layer of a bundle, or an entry of the network list.
struct EditTarget {
    enum class Kind { None, BundleLayer, NetworkEntry };
    Kind kind = Kind::None;
    int bundle = -1; // BundleLayer only
    int row = -1;
    friend bool operator==(const EditTarget&, const EditTarget&) = default;
};

} // namespace codesign
