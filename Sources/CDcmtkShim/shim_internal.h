// Shared helpers of the shim's translation units. C++ only; never exposed to Swift.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk_shim.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

struct dsh_object {
    DcmFileFormat file;
    // Deflate is a stream encoding of explicit little endian: DCMTK's dataset never reports it as its
    // representation, so the object remembers that it is to be written deflated.
    bool deflated = false;
    // Every text value was ASCII when dsh_text_to_utf8 ran: it converted nothing (ASCII reads the same in
    // every character set), and dsh_text_from_utf8 has nothing to convert back unless non-ASCII came since.
    bool asciiText = false;
};

namespace shim {

char *copyString(const std::string &text);
// Fills *error (when given) and returns DSH_ERROR.
int fail(dsh_error *error, const std::string &message, int kind = DSH_KIND_FAILURE);
// The kind follows from the condition (timeouts, lost connections, TLS...), unless one is given.
int fail(dsh_error *error, const OFCondition &condition, const std::string &context = "", int kind = -1);
// Our own words and kind for a failure DCMTK reported as `cause` (its module and code are kept).
int fail(dsh_error *error, const std::string &message, int kind, const OFCondition &cause);
int kindOf(const OFCondition &condition);

// Runs body, turning every escaping C++ exception into DSH_ERROR with the exception's text.
template <typename Body> int guarded(dsh_error *error, Body body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return fail(error, "out of memory", DSH_KIND_OUT_OF_MEMORY);
    } catch (const std::exception &exception) {
        return fail(error, std::string("internal error: ") + exception.what());
    } catch (...) {
        return fail(error, "internal error: unknown C++ exception");
    }
}

} // namespace shim
