#include "shim_iso2022.h"

#include "dcmtk/dcmdata/dctk.h"

#include <iconv.h>
#include <vector>

namespace shim {

namespace {

enum class Set { ascii, jisX0208, jisX0212, katakana, ksX1001, gb2312, single };

struct State {
    Set g0 = Set::ascii, g1 = Set::single;
    std::string g1Name;  // iconv name of a single-byte G1 set; empty: none
};

bool toUTF8(const std::string &encoding, const std::string &bytes, std::string &out) {
    if (bytes.empty()) return true;
    iconv_t converter = iconv_open("UTF-8", encoding.c_str());
    if (converter == reinterpret_cast<iconv_t>(-1)) return false;
    std::string input = bytes;
    std::vector<char> output(bytes.size() * 4 + 16);
    char *in = &input[0], *outPointer = output.data();
    size_t inLeft = input.size(), outLeft = output.size();
    const bool ok = iconv(converter, &in, &inLeft, &outPointer, &outLeft) != static_cast<size_t>(-1) && inLeft == 0;
    iconv_close(converter);
    if (ok) out.append(output.data(), output.size() - outLeft);
    return ok;
}

std::string singleByteSet(const std::string &term) {
    static const char *const table[][2] = {
        {"ISO 2022 IR 100", "ISO-8859-1"}, {"ISO 2022 IR 101", "ISO-8859-2"}, {"ISO 2022 IR 109", "ISO-8859-3"},
        {"ISO 2022 IR 110", "ISO-8859-4"}, {"ISO 2022 IR 144", "ISO-8859-5"}, {"ISO 2022 IR 127", "ISO-8859-6"},
        {"ISO 2022 IR 126", "ISO-8859-7"}, {"ISO 2022 IR 138", "ISO-8859-8"}, {"ISO 2022 IR 148", "ISO-8859-9"},
        {"ISO 2022 IR 203", "ISO-8859-15"}, {"ISO 2022 IR 166", "TIS-620"},
    };
    for (const auto &entry : table)
        if (term == entry[0]) return entry[1];
    return "";
}

// Applies the escape sequence starting at bytes[at] (the ESC); returns its length, 0 when unknown.
size_t applyEscape(const std::string &bytes, size_t at, State &state) {
    static const struct { const char *sequence; Set g0; Set g1; const char *name; } escapes[] = {
        {"(B", Set::ascii, Set::single, nullptr},      {"(J", Set::ascii, Set::single, nullptr},
        {"$B", Set::jisX0208, Set::single, nullptr},   {"$@", Set::jisX0208, Set::single, nullptr},
        {"$(D", Set::jisX0212, Set::single, nullptr},  {")I", Set::ascii, Set::katakana, nullptr},
        {"$)C", Set::ascii, Set::ksX1001, nullptr},    {"$)A", Set::ascii, Set::gb2312, nullptr},
        {"-A", Set::ascii, Set::single, "ISO-8859-1"}, {"-B", Set::ascii, Set::single, "ISO-8859-2"},
        {"-C", Set::ascii, Set::single, "ISO-8859-3"}, {"-D", Set::ascii, Set::single, "ISO-8859-4"},
        {"-L", Set::ascii, Set::single, "ISO-8859-5"}, {"-G", Set::ascii, Set::single, "ISO-8859-6"},
        {"-F", Set::ascii, Set::single, "ISO-8859-7"}, {"-H", Set::ascii, Set::single, "ISO-8859-8"},
        {"-M", Set::ascii, Set::single, "ISO-8859-9"}, {"-T", Set::ascii, Set::single, "TIS-620"},
        {"-b", Set::ascii, Set::single, "ISO-8859-15"},
    };
    for (const auto &escape : escapes) {
        const std::string sequence = escape.sequence;
        if (bytes.compare(at + 1, sequence.size(), sequence) != 0) continue;
        const bool designatesG0 = sequence[0] == '(' || sequence == "$B" || sequence == "$@" || sequence == "$(D";
        if (designatesG0) state.g0 = escape.g0;
        else {
            state.g1 = escape.g1;
            state.g1Name = escape.name != nullptr ? escape.name : "";
        }
        return 1 + sequence.size();
    }
    return 0;
}

bool decodeValue(const std::string &bytes, const State &initial, std::string &out) {
    State state = initial;
    std::string run, runEncoding = "ASCII";
    auto emit = [&](const std::string &encoding, const std::string &piece) -> bool {
        if (encoding != runEncoding) {
            if (!toUTF8(runEncoding, run, out)) return false;
            run.clear();
            runEncoding = encoding;
        }
        run += piece;
        return true;
    };
    for (size_t at = 0; at < bytes.size();) {
        const unsigned char byte = static_cast<unsigned char>(bytes[at]);
        if (byte == 0x1B) {
            const size_t length = applyEscape(bytes, at, state);
            if (length == 0) return false;
            at += length;
            continue;
        }
        bool ok = true;
        if (byte < 0x80) {
            const bool twoByte = (state.g0 == Set::jisX0208 || state.g0 == Set::jisX0212) && byte > 0x20 && at + 1 < bytes.size();
            if (twoByte) {
                const char first = static_cast<char>(byte | 0x80), second = static_cast<char>(bytes[at + 1] | 0x80);
                ok = emit("EUC-JP", state.g0 == Set::jisX0212 ? std::string{'\x8F', first, second} : std::string{first, second});
                at += 2;
            } else {
                ok = emit("ASCII", std::string(1, static_cast<char>(byte)));
                at += 1;
            }
        } else if (state.g1 == Set::katakana) {
            ok = emit("EUC-JP", std::string{'\x8E', static_cast<char>(byte)});
            at += 1;
        } else if ((state.g1 == Set::ksX1001 || state.g1 == Set::gb2312) && at + 1 < bytes.size()) {
            ok = emit(state.g1 == Set::ksX1001 ? "EUC-KR" : "EUC-CN", bytes.substr(at, 2));
            at += 2;
        } else if (!state.g1Name.empty()) {
            ok = emit(state.g1Name, std::string(1, static_cast<char>(byte)));
            at += 1;
        } else {
            return false;  // a byte no designated set covers
        }
        if (!ok) return false;
    }
    return toUTF8(runEncoding, run, out);
}

} // namespace

bool decodeCodeExtensions(DcmItem &item, const std::string &terms, std::string &problem) {
    State initial;
    const std::string first = terms.substr(0, terms.find('\\'));
    if (first == "ISO 2022 IR 13") initial.g1 = Set::katakana;
    else if (!first.empty() && first != "ISO 2022 IR 6") {
        initial.g1Name = singleByteSet(first);
        if (initial.g1Name.empty()) {
            problem = "unknown first Specific Character Set term '" + first + "'";
            return false;
        }
    }
    DcmStack stack;
    while (item.nextObject(stack, OFTrue).good()) {
        auto *element = dynamic_cast<DcmElement *>(stack.top());
        if (element == nullptr || !element->isAffectedBySpecificCharacterSet()) continue;
        char *raw = nullptr;
        Uint32 length = 0;
        if (element->getString(raw, length).bad() || raw == nullptr || length == 0) continue;
        std::string utf8;
        if (!decodeValue(std::string(raw, length), initial, utf8)) {
            problem = "a value of " + std::string(DcmTag(element->getTag()).getTagName()) + " does not decode by its code extensions";
            return false;
        }
        element->putString(utf8.c_str(), static_cast<Uint32>(utf8.size()));
    }
    item.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
    return true;
}

} // namespace shim
