// ISO 2022 code extensions (PS3.5 6.1.2.5) decoded to UTF-8 where the system's iconv, through DCMTK, cannot
// open DCMTK's names for them (glibc has no "ISO-IR-87"): each escape sequence's set decoded by its EUC or
// ISO 8859 equivalent.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcitem.h"

#include <string>

namespace shim {

// Converts every value affected by the Specific Character Set, at every depth, from the code extensions
// `terms` ("\ISO 2022 IR 87" style) to UTF-8 and declares ISO_IR 192. False with the problem otherwise.
bool decodeCodeExtensions(DcmItem &item, const std::string &terms, std::string &problem);

} // namespace shim
