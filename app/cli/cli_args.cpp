#include "cli_args.h"

#include <iostream>

namespace codesign::cli {

Args::Args(std::vector<std::string> argv, std::set<std::string> flags,
           std::set<std::string> options) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() < 2 || a.rfind("--", 0) != 0) {
            if (a.size() > 1 && a[0] == '-') {
                error_ = "unknown option '" + a + "'";
                return;
            }
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::string value;
        bool inlineValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        if (flags.count(name)) {
            if (inlineValue) {
                error_ = "--" + name + " takes no value";
                return;
            }
            flags_.insert(name);
        } else if (options.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= argv.size()) {
                    error_ = "--" + name + " needs a value";
                    return;
                }
                value = argv[++i];
            }
            options_[name] = value;
        } else {
            error_ = "unknown option '--" + name + "'";
            return;
        }
    }
}

std::string Args::option(const std::string& name, std::string fallback) const {
    auto it = options_.find(name);
    return it == options_.end() ? fallback : it->second;
}

int badInput(const std::string& message) {
    std::cerr << "codesign: " << message << "\n";
    return kExitBadInput;
}

} // namespace codesign::cli
