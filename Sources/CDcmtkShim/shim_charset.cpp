// Text values by the object's Specific Character Set: to UTF-8 for reading and editing, and back.
#include "shim_internal.h"
#include "shim_iso2022.h"

using shim::fail;
using shim::guarded;

namespace {
OFString characterSet(DcmDataset *dataset) {
    OFString value;
    dataset->findAndGetOFStringArray(DCM_SpecificCharacterSet, value);
    return value;
}

// Whether every value the character set applies to is plain ASCII (no byte over 0x7F, no ISO 2022 escape).
bool onlyASCII(DcmDataset *dataset) {
    DcmStack stack;
    while (dataset->nextObject(stack, OFTrue).good()) {
        auto *element = dynamic_cast<DcmElement *>(stack.top());
        if (element == nullptr || !element->isAffectedBySpecificCharacterSet()) continue;
        char *raw = nullptr;
        Uint32 length = 0;
        if (element->getString(raw, length).bad() || raw == nullptr) continue;
        for (Uint32 index = 0; index < length; ++index) {
            const unsigned char byte = static_cast<unsigned char>(raw[index]);
            if (byte >= 0x80 || byte == 0x1B) return false;
        }
    }
    return true;
}
} // namespace

extern "C" int dsh_text_to_utf8(dsh_object *object, const char *assumed, char **original, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmDataset *dataset = object->file.getDataset();
        OFString declared = characterSet(dataset);
        const bool undeclared = declared.empty() && dataset->tagExists(DCM_SpecificCharacterSet) == OFFalse;
        if (undeclared && assumed != nullptr && *assumed != '\0') {
            declared = assumed;
            dataset->putAndInsertString(DCM_SpecificCharacterSet, assumed);
        }
        *original = shim::copyString(declared.c_str());
        object->asciiText = onlyASCII(dataset);
        if (declared == "ISO_IR 192" || object->asciiText) return DSH_OK;
        OFCondition condition = dataset->convertToUTF8();
        std::string problem;
        // DCMTK names some ISO 2022 sets in ways the system's iconv does not know: decode those ourselves.
        if (condition.bad() && declared.find("ISO 2022") != OFString_npos) {
            if (shim::decodeCodeExtensions(*dataset, declared.c_str(), problem)) return DSH_OK;
            condition = makeOFCondition(OFM_dcmdata, 1, OF_error, problem.c_str());
        }
        if (condition.bad()) {
            dsh_free(*original);
            *original = nullptr;
            const std::string name = declared.empty() ? "none (ASCII only)" : std::string("'") + declared.c_str() + "'";
            return fail(error, "cannot decode the text by its Specific Character Set " + name + ": " + condition.text());
        }
        return DSH_OK;
    });
}

extern "C" int dsh_text_from_utf8(dsh_object *object, const char *target, char **written, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmDataset *dataset = object->file.getDataset();
        const std::string wanted = target != nullptr ? target : "";
        if (object->asciiText) {
            // Nothing was converted: unless non-ASCII text came since, the object is already as it should be.
            object->asciiText = false;
            if (onlyASCII(dataset)) {
                *written = shim::copyString(wanted);
                return DSH_OK;
            }
            dataset->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");  // what came since is UTF-8
        }
        // DCMTK writes one character set only (no code extensions): ISO 2022 objects stay in UTF-8, declared.
        if (wanted != "ISO_IR 192" && wanted.find('\\') == std::string::npos) {
            const OFCondition condition = dataset->convertCharacterSet(wanted.c_str(), 0);
            if (condition.good()) {
                *written = shim::copyString(wanted);
                return DSH_OK;
            }
        }
        // Not representable there (or not writable): the text stays UTF-8 and says so.
        dataset->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
        *written = shim::copyString("ISO_IR 192");
        return DSH_OK;
    });
}
