#include "yaml_syntax.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

namespace codesign {
namespace {

// A character of the text, 1-based.
struct Spot {
    int line = 0;
    int column = 0;
    char c = 0;
};

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

std::string where(const Spot& s) {
    return "line " + std::to_string(s.line) + ", column " + std::to_string(s.column);
}

char closerOf(char opener) {
    return opener == '[' ? ']' : '}';
}

// What YAML's flow brackets and quotes look like up to a point: a small lexer that knows
// comments, quoted strings (with their escapes) and where a bracket or a quote can start
// (after nothing, or after ':', '-', ',', '[', '{', '?' on its line).
struct FlowScan {
    std::vector<Spot> open; // '[' and '{' not closed yet, innermost last
    std::optional<Spot> quote;
    std::optional<Spot> badCloser; // a closer of the wrong kind, or of nothing
    std::optional<Spot> itsOpener; // the opener a wrong closer met

    // Scans the text before (line, column); with `inclusive`, the character there too.
    // Stops at the first bad closer.
    FlowScan(const std::vector<std::string_view>& lines, SourcePos stop, bool inclusive) {
        for (std::size_t l = 0; l < lines.size(); ++l) {
            const std::string_view text = lines[l];
            char previous = 0; // the last non-space character of the line so far
            for (std::size_t i = 0; i < text.size(); ++i) {
                const int line = static_cast<int>(l) + 1;
                const int column = static_cast<int>(i) + 1;
                if (line > stop.line || (line == stop.line && column >= stop.column + inclusive))
                    return;
                const char c = text[i];
                if (quote) {
                    if (quote->c == '"' && c == '\\')
                        ++i;
                    else if (c == quote->c && quote->c == '\'' && i + 1 < text.size() &&
                             text[i + 1] == '\'')
                        ++i;
                    else if (c == quote->c)
                        quote.reset();
                    previous = c;
                    continue;
                }
                if (c == ' ' || c == '\t')
                    continue;
                const bool atValue = previous == 0 || std::string_view(":-,[{?").find(previous) !=
                                                          std::string_view::npos;
                if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t'))
                    break; // a comment
                if ((c == '"' || c == '\'') && atValue)
                    quote = Spot{line, column, c};
                else if ((c == '[' || c == '{') && (atValue || !open.empty()))
                    open.push_back({line, column, c});
                else if (c == ']' || c == '}') {
                    if (!open.empty() && closerOf(open.back().c) == c) {
                        open.pop_back();
                    } else if (!open.empty() || previous == ']' || previous == '}') {
                        badCloser = Spot{line, column, c};
                        if (!open.empty())
                            itsOpener = open.back();
                        return;
                    }
                }
                previous = c;
            }
        }
    }
};

// Where the quoted string that opens at `opener` closes, if it does.
std::optional<Spot> quoteEnd(const std::vector<std::string_view>& lines, const Spot& opener) {
    for (std::size_t l = static_cast<std::size_t>(opener.line) - 1; l < lines.size(); ++l) {
        const std::string_view text = lines[l];
        std::size_t i = l + 1 == static_cast<std::size_t>(opener.line) ? opener.column : 0;
        for (; i < text.size(); ++i) {
            if (opener.c == '"' && text[i] == '\\')
                ++i;
            else if (opener.c == '\'' && text[i] == '\'' && i + 1 < text.size() &&
                     text[i + 1] == '\'')
                ++i;
            else if (text[i] == opener.c)
                return Spot{static_cast<int>(l) + 1, static_cast<int>(i) + 1, opener.c};
        }
    }
    return std::nullopt;
}

// Whether the bracket at `opener` is closed anywhere in the text.
bool isClosed(const std::vector<std::string_view>& lines, const Spot& opener) {
    FlowScan whole(lines, {static_cast<int>(lines.size()) + 1, 1}, false);
    return std::none_of(whole.open.begin(), whole.open.end(), [&](const Spot& s) {
        return s.line == opener.line && s.column == opener.column;
    });
}

int indentOf(std::string_view line) {
    const std::size_t first = line.find_first_not_of(' ');
    return first == std::string_view::npos ? -1 : static_cast<int>(first);
}

bool meaningful(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    return first != std::string_view::npos && line[first] != '#';
}

// The first tab in the indentation of line `number` (1-based), if any.
std::optional<Spot> tabInIndentation(const std::vector<std::string_view>& lines, int number) {
    if (number < 1 || number > static_cast<int>(lines.size()))
        return std::nullopt;
    const std::string_view line = lines[number - 1];
    for (std::size_t i = 0; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
        if (line[i] == '\t')
            return Spot{number, static_cast<int>(i) + 1, '\t'};
    return std::nullopt;
}

// A line of a block mapping that is neither 'key: value' nor a list item: its text (before
// any comment) has no ':'.
bool lacksColon(std::string_view line) {
    std::string_view body = line.substr(std::max(0, indentOf(line)));
    if (const std::size_t comment = body.find(" #"); comment != std::string_view::npos)
        body = body.substr(0, comment);
    return !body.empty() && body[0] != '-' && body[0] != '#' && body[0] != '[' && body[0] != '{' &&
           body.find(':') == std::string_view::npos;
}

// "key: value" complete on its line (not a key whose value follows on the next lines).
bool completeEntry(std::string_view line) {
    std::string_view body = line.substr(std::max(0, indentOf(line)));
    if (body.starts_with("- "))
        return true;
    const std::size_t colon = body.find(": ");
    if (colon == std::string_view::npos)
        return false;
    const std::size_t value = body.find_first_not_of(' ', colon + 1);
    return value != std::string_view::npos && body[value] != '#' && body[value] != '|' &&
           body[value] != '>';
}

// The columns (0-based) the lines above `number` open levels at: each line indented less
// than every line after it, and the block mapping inside a "- key: value" list item.
std::vector<int> levelsAbove(const std::vector<std::string_view>& lines, int number) {
    std::set<int> levels;
    int below = 1 << 30;
    for (int l = number - 2; l >= 0 && below > 0; --l) {
        const std::string_view line = lines[l];
        if (!meaningful(line))
            continue;
        const int indent = indentOf(line);
        if (indent < 0 || indent >= below)
            continue;
        below = indent;
        levels.insert(indent);
        const std::string_view body = line.substr(indent);
        if (body.starts_with("- ") && body.size() > 2 && body[2] != '{' && body[2] != '[' &&
            body.find(':') != std::string_view::npos)
            levels.insert(indent + 2);
    }
    return {levels.begin(), levels.end()};
}

std::string columnsText(const std::vector<int>& levels) {
    std::string s = levels.size() == 1 ? "column " : "columns ";
    for (std::size_t i = 0; i < levels.size(); ++i)
        s += (i == 0                   ? ""
              : i + 1 == levels.size() ? " and "
                                       : ", ") +
             std::to_string(levels[i] + 1);
    return s;
}

std::optional<std::string> indentationProblem(const std::vector<std::string_view>& lines,
                                              const std::string& message, SourcePos pos) {
    static const std::set<std::string> structural{"end of sequence not found",
                                                  "end of map not found", "illegal block entry",
                                                  "illegal map value", "illegal map key"};
    if (!structural.count(message) || pos.line < 1 || pos.line > static_cast<int>(lines.size()))
        return std::nullopt;
    const std::string_view line = lines[pos.line - 1];
    const std::string number = std::to_string(pos.line);
    int previous = pos.line - 2;
    while (previous >= 0 && !meaningful(lines[previous]))
        --previous;
    // A key without ':' runs on into the next line, which yaml-cpp then rejects.
    for (int l : {pos.line - 1, previous})
        if (l >= 0 && (l == previous || message == "illegal map value") && lacksColon(lines[l]))
            return "line " + std::to_string(l + 1) +
                   " has no ':': an entry of a mapping is 'key: value'";
    const int indent = indentOf(line);
    if (previous >= 0 && indent > indentOf(lines[previous]) && completeEntry(lines[previous]))
        return "bad indentation: line " + number + " is indented more than line " +
               std::to_string(previous + 1) +
               ", which is complete; the entries of one list or mapping start in the same column";
    const std::vector<int> levels = levelsAbove(lines, pos.line);
    if (indent < 0 || levels.empty() || std::count(levels.begin(), levels.end(), indent))
        return "bad indentation or structure: line " + number +
               " does not continue the list or mapping above it (YAML nests by indentation, "
               "with spaces)";
    return "bad indentation: line " + number + " starts at column " + std::to_string(indent + 1) +
           ", which lines up with nothing above it (" + columnsText(levels) +
           "); the entries of one list or mapping start in the same column";
}

} // namespace

Diagnostic explainYamlSyntaxError(std::string_view text, const std::string& message,
                                  SourcePos pos) {
    const std::vector<std::string_view> lines = splitLines(text);
    const FlowScan before(lines, pos, false);
    // A quoted string may span lines in YAML, but in a project file that is a quote left
    // open: it swallows what follows until the next quote.
    if (before.quote) {
        const std::optional<Spot> end = quoteEnd(lines, *before.quote);
        if (!end || end->line > before.quote->line) {
            const char q = before.quote->c;
            return makeError(std::string("the string opened with ") + q + " at " +
                                 where(*before.quote) + " is not closed: a closing " + q +
                                 " is missing on its line",
                             pos);
        }
    }
    for (int l : {pos.line, pos.line - 1})
        if (const auto tab = tabInIndentation(lines, l))
            return makeError("a tab in the indentation: YAML indents with spaces only",
                             {tab->line, tab->column});
    const FlowScan upTo(lines, pos, true);
    if (upTo.badCloser) {
        const Spot& c = *upTo.badCloser;
        if (upTo.itsOpener)
            return makeError(std::string("'") + c.c + "' at " + where(c) + " closes the '" +
                                 upTo.itsOpener->c + "' at " + where(*upTo.itsOpener) + ": a '" +
                                 closerOf(upTo.itsOpener->c) + "' is missing before it",
                             pos);
        return makeError(std::string("'") + c.c + "' at " + where(c) + " closes nothing: one '" +
                             c.c + "' too many",
                         pos);
    }
    if (!before.open.empty() &&
        (message == "end of map flow not found" || message == "end of sequence flow not found" ||
         message == "illegal flow end")) {
        const Spot& o = before.open.back();
        if (!isClosed(lines, o))
            return makeError(std::string("the '") + o.c + "' at " + where(o) +
                                 " is not closed: a '" + closerOf(o.c) + "' is missing",
                             pos);
        return makeError(o.c == '{' ? "in the { } that opens at " + where(o) +
                                          ", entries are 'key: value' separated by commas: is a "
                                          "',' missing, or does a value hold ': ' (then quote it)?"
                                    : "in the [ ] that opens at " + where(o) +
                                          ", items are separated by commas: is a ',' missing?",
                         pos);
    }
    if (auto problem = indentationProblem(lines, message, pos))
        return makeError(*problem, pos);
    if (message.starts_with("unknown escape character: "))
        return makeError("unknown escape '\\" + message.substr(26) +
                             "' in a \"...\" string (write \\\\ for a backslash, or quote "
                             "with '...')",
                         pos);
    if (message == "the referenced anchor is not defined")
        return makeError("an alias (*name) refers to an anchor (&name) that is not defined "
                         "above it",
                         pos);
    return makeError("YAML syntax: " + message, pos);
}

} // namespace codesign
