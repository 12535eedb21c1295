#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// A small streaming JSON writer (the core has no JSON library; output only).
// Usage: w.beginObject(); w.key("fps"); w.value(29.7); w.endObject();
class JsonWriter {
public:
    explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view k);
    void value(std::string_view v);
    void value(const char* v) { value(std::string_view(v)); }
    void value(const std::string& v) { value(std::string_view(v)); }
    void value(double v);
    void value(std::int64_t v);
    void value(int v) { value(std::int64_t(v)); }
    void value(bool v);
    void null();

    template <class T> void field(std::string_view k, const T& v) {
        key(k);
        value(v);
    }

    const std::string& str() const { return out_; }

    static std::string escape(std::string_view s);

private:
    void beforeValue();
    void newline();

    std::string out_;
    bool pretty_;
    std::vector<bool> hasItems_; // per open container
    bool afterKey_ = false;
};

} // namespace codesign
