#include "xml_reader.h"

#include <cstdint>

namespace codesign {
namespace {

class XmlParser {
public:
    XmlParser(std::string_view text, std::string file) : s_(text), file_(std::move(file)) {}

    XmlElement document() {
        skipProlog();
        if (atEnd() || s_[i_] != '<')
            fail("expected the root element");
        XmlElement root = element();
        skipMisc();
        if (!atEnd())
            fail("text after the root element");
        return root;
    }

    struct Failure {
        Diagnostic diagnostic;
    };

private:
    bool atEnd() const { return i_ >= s_.size(); }
    bool startsWith(std::string_view p) const { return s_.substr(i_, p.size()) == p; }
    SourcePos here() const { return {line_, column_}; }

    [[noreturn]] void fail(const std::string& message) const { failAt(message, here()); }
    [[noreturn]] void failAt(const std::string& message, SourcePos pos) const {
        Diagnostic d = makeError(message, pos);
        d.file = file_;
        throw Failure{d};
    }

    void advance(std::size_t n = 1) {
        for (std::size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
            if (s_[i_] == '\n') {
                ++line_;
                column_ = 1;
            } else {
                ++column_;
            }
        }
    }
    void skipSpace() {
        while (!atEnd() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n'))
            advance();
    }
    // Skips up to and past `end`; `what` names the construct for the error.
    void skipPast(std::string_view end, const char* what) {
        const SourcePos start = here();
        const std::size_t at = s_.find(end, i_);
        if (at == std::string_view::npos)
            failAt(std::string("unterminated ") + what, start);
        advance(at + end.size() - i_);
    }
    void skipMisc() {
        while (true) {
            skipSpace();
            if (startsWith("<!--"))
                skipPast("-->", "comment");
            else if (startsWith("<?"))
                skipPast("?>", "processing instruction");
            else
                return;
        }
    }
    void skipProlog() {
        if (startsWith("\xEF\xBB\xBF"))
            advance(3);
        while (true) {
            skipMisc();
            if (!startsWith("<!DOCTYPE"))
                return;
            const std::size_t close = s_.find('>', i_);
            if (close != std::string_view::npos &&
                s_.substr(i_, close - i_).find('[') != std::string_view::npos)
                fail("a DOCTYPE with an internal subset is not supported");
            skipPast(">", "DOCTYPE");
        }
    }

    static bool nameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.' || c == ':' ||
               static_cast<unsigned char>(c) >= 0x80;
    }
    std::string name() {
        const std::size_t start = i_;
        while (!atEnd() && nameChar(s_[i_]))
            advance();
        if (i_ == start)
            fail("expected a name");
        return std::string(s_.substr(start, i_ - start));
    }

    void appendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    // At '&': appends the entity's text.
    void entity(std::string& out) {
        const SourcePos start = here();
        const std::size_t semi = s_.find(';', i_);
        if (semi == std::string_view::npos || semi - i_ > 12)
            failAt("'&' that starts no entity (write &amp;)", start);
        const std::string_view ref = s_.substr(i_ + 1, semi - i_ - 1);
        if (ref == "lt")
            out += '<';
        else if (ref == "gt")
            out += '>';
        else if (ref == "amp")
            out += '&';
        else if (ref == "quot")
            out += '"';
        else if (ref == "apos")
            out += '\'';
        else if (ref.size() > 1 && ref[0] == '#') {
            const bool hex = ref[1] == 'x';
            std::uint32_t cp = 0;
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            if (digits.empty())
                failAt("empty character reference", start);
            for (char c : digits) {
                int v = -1;
                if (c >= '0' && c <= '9')
                    v = c - '0';
                else if (hex && c >= 'a' && c <= 'f')
                    v = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F')
                    v = c - 'A' + 10;
                if (v < 0 || cp > 0x10FFFF)
                    failAt("bad character reference '&" + std::string(ref) + ";'", start);
                cp = cp * (hex ? 16 : 10) + std::uint32_t(v);
            }
            appendUtf8(out, cp);
        } else {
            failAt("unknown entity '&" + std::string(ref) + ";'", start);
        }
        advance(semi + 1 - i_);
    }

    void attributes(XmlElement& e) {
        while (true) {
            skipSpace();
            if (atEnd())
                fail("unterminated start tag <" + e.name + ">");
            if (s_[i_] == '>' || startsWith("/>"))
                return;
            const SourcePos at = here();
            std::string key = name();
            skipSpace();
            if (atEnd() || s_[i_] != '=')
                fail("expected '=' after attribute " + key);
            advance();
            skipSpace();
            if (atEnd() || (s_[i_] != '"' && s_[i_] != '\''))
                fail("expected a quoted value for attribute " + key);
            const char quote = s_[i_];
            advance();
            std::string value;
            while (!atEnd() && s_[i_] != quote) {
                if (s_[i_] == '<')
                    fail("'<' inside the value of attribute " + key);
                if (s_[i_] == '&')
                    entity(value);
                else {
                    value += s_[i_];
                    advance();
                }
            }
            if (atEnd())
                failAt("unterminated value of attribute " + key, at);
            advance();
            e.attributes.emplace_back(std::move(key), std::move(value));
        }
    }

    XmlElement element() {
        XmlElement e;
        e.pos = here();
        if (++depth_ > kMaxDepth)
            fail("elements nested deeper than " + std::to_string(kMaxDepth));
        advance(); // '<'
        e.name = name();
        attributes(e);
        if (startsWith("/>")) {
            advance(2);
            --depth_;
            return e;
        }
        advance(); // '>'
        while (true) {
            if (atEnd())
                failAt("element <" + e.name + "> is not closed", e.pos);
            if (startsWith("</")) {
                const SourcePos at = here();
                advance(2);
                const std::string closing = name();
                if (closing != e.name)
                    failAt("</" + closing + "> closes <" + e.name + "> (opened at line " +
                               std::to_string(e.pos.line) + ")",
                           at);
                skipSpace();
                if (atEnd() || s_[i_] != '>')
                    fail("expected '>' after </" + closing);
                advance();
                --depth_;
                return e;
            }
            if (startsWith("<!--"))
                skipPast("-->", "comment");
            else if (startsWith("<![CDATA[")) {
                advance(9);
                const SourcePos start = here();
                const std::size_t end = s_.find("]]>", i_);
                if (end == std::string_view::npos)
                    failAt("unterminated CDATA section", start);
                e.text += s_.substr(i_, end - i_);
                advance(end + 3 - i_);
            } else if (startsWith("<?"))
                skipPast("?>", "processing instruction");
            else if (s_[i_] == '<')
                e.children.push_back(element());
            else if (s_[i_] == '&')
                entity(e.text);
            else {
                e.text += s_[i_];
                advance();
            }
        }
    }

    std::string_view s_;
    std::string file_;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
    int depth_ = 0;
    static constexpr int kMaxDepth = 256; // the reports nest a handful of levels
};

} // namespace

const XmlElement* XmlElement::child(std::string_view childName) const {
    for (const XmlElement& c : children)
        if (c.name == childName)
            return &c;
    return nullptr;
}

Result<XmlElement> parseXml(std::string_view text, const std::string& fileName) {
    try {
        return XmlParser(text, fileName).document();
    } catch (const XmlParser::Failure& f) {
        return f.diagnostic;
    }
}

} // namespace codesign
