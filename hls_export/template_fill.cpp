#include "template_files.h"

namespace codesign::hls {

Result<std::string> fillTemplate(std::string_view path,
                                 const std::map<std::string, std::string>& values) {
    const std::string_view text = templates::embeddedFile(path);
    if (text.empty())
        return makeError("internal: template " + std::string(path) + " is missing");
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find("{{", at);
        if (open == std::string_view::npos) {
            out.append(text.substr(at));
            break;
        }
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos)
            return makeError("internal: unclosed {{ in template " + std::string(path));
        out.append(text.substr(at, open - at));
        const std::string key(text.substr(open + 2, close - open - 2));
        const auto it = values.find(key);
        if (it == values.end())
            return makeError("internal: template " + std::string(path) + " uses {{" + key +
                             "}}, which the export does not set");
        out.append(it->second);
        at = close + 2;
    }
    return out;
}

} // namespace codesign::hls
