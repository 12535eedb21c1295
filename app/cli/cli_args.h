#pragma once

#include <charconv>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace codesign::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // something went wrong that the input did not cause
inline constexpr int kExitBadInput = 2; // bad arguments or a bad project

// "--flag", "--option value" and "--option=value", plus positional arguments.
class Args {
public:
    // `flags` take no value, `options` take one. Unknown names are an error.
    Args(std::vector<std::string> argv, std::set<std::string> flags, std::set<std::string> options);

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    bool has(const std::string& name) const { return options_.count(name) > 0; }
    std::string option(const std::string& name, std::string fallback = {}) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::set<std::string> flags_;
    std::map<std::string, std::string> options_;
    std::vector<std::string> positional_;
    std::string error_;
};

// The whole of `text` as a number (std::from_chars: no sign prefix '+', no spaces).
template <class T> bool parseNumber(const std::string& text, T& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end;
}

// Prints "codesign: message" to stderr and returns kExitBadInput.
int badInput(const std::string& message);

} // namespace codesign::cli
