// Reading and writing whole DICOM objects.
#include "shim_internal.h"
#include "shim_deflate.h"

#include "dcmtk/dcmdata/dcostrmb.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

using shim::fail;
using shim::guarded;

namespace {

void convertPublicUN(DcmItem *item);

// Sequences nested deeper than any real object (structured report trees stay within a few dozen levels).
// Walks and paths grow with the square of the depth: 5,000 levels took minutes of CPU.
constexpr int maximumNesting = 64;

bool nestedTooDeep(DcmItem *item, int depth) {
    if (depth > maximumNesting) return true;
    for (unsigned long index = 0; index < item->card(); ++index) {
        DcmElement *element = item->getElement(index);
        if (element == nullptr || element->ident() != EVR_SQ) continue;
        auto *sequence = static_cast<DcmSequenceOfItems *>(element);
        for (unsigned long entry = 0; entry < sequence->card(); ++entry) {
            if (nestedTooDeep(sequence->getItem(entry), depth + 1)) return true;
        }
    }
    return false;
}

// A parse that "succeeds" on an empty or non-DICOM input leaves nothing usable behind: refuse it.
int checkParsed(DcmFileFormat &file, dsh_error *error) {
    DcmDataset *dataset = file.getDataset();
    if (dataset == nullptr || dataset->card() == 0)
        return fail(error, "no DICOM dataset found (empty or not a DICOM file)");
    // Autodetection reads plain text as a few implicit-VR elements with absurd tags; a real dataset
    // starts at a group of 0008 or above (or 0004 for DICOMDIR); a bare group-0002 file has no dataset.
    DcmElement *first = dataset->getElement(0);
    if (first == nullptr || first->getTag().getGroup() < 0x0004)
        return fail(error, "no DICOM dataset found (not a DICOM file)");
    if (dataset->getOriginalXfer() == EXS_Unknown)
        return fail(error, "unknown transfer syntax");
    if (nestedTooDeep(dataset, 0))
        return fail(error, "sequences nested more than " + std::to_string(maximumNesting) + " levels deep");
    convertPublicUN(dataset);
    return DSH_OK;
}

// Converts one public UN element to its dictionary VR; returns the replacement or nullptr to keep it.
DcmElement *knownVersionOf(DcmElement *element) {
    const DcmTagKey key = element->getTag().getXTag();
    if (key.isPrivate()) return nullptr;
    DcmTag tag(key);
    const DcmEVR vr = tag.getEVR();
    const Uint32 length = element->getLength();
    if (vr == EVR_UN || vr == EVR_SQ || length == DCM_UndefinedLength) return nullptr;
    std::vector<Uint8> raw(length);
    if (length > 0 && element->getPartialValue(raw.data(), 0, length, nullptr, EBO_LittleEndian).bad()) return nullptr;
    DcmElement *converted = nullptr;
    if (DcmItem::newDicomElementWithVR(converted, tag).bad() || converted == nullptr) return nullptr;
    OFCondition status = EC_IllegalCall;
    const DcmVR dictionaryVR(vr);
    if (dictionaryVR.isaString()) {
        status = converted->putString(reinterpret_cast<const char *>(raw.data()), length);
    } else if ((vr == EVR_US || vr == EVR_SS) && length % 2 == 0) {
        std::vector<Uint16> values(length / 2);
        if (length > 0) std::memcpy(values.data(), raw.data(), length);  // memcpy from an empty vector is UB
        status = converted->putUint16Array(values.data(), values.size());
    } else if ((vr == EVR_UL || vr == EVR_SL || vr == EVR_FL) && length % 4 == 0) {
        std::vector<Uint32> values(length / 4);
        if (length > 0) std::memcpy(values.data(), raw.data(), length);
        status = vr == EVR_FL ? converted->putFloat32Array(reinterpret_cast<Float32 *>(values.data()), values.size())
                              : converted->putUint32Array(values.data(), values.size());
    } else if (vr == EVR_FD && length % 8 == 0) {
        std::vector<Float64> values(length / 8);
        if (length > 0) std::memcpy(values.data(), raw.data(), length);
        status = converted->putFloat64Array(values.data(), values.size());
    }
    if (status.bad()) {
        delete converted;
        return nullptr;
    }
    return converted;
}

// Explicit-VR files written by some archives carry public attributes as UN; DCMTK then cannot read their
// values (and would write wrong meta information from them). The UN bytes are implicit little endian, so
// giving them their dictionary VR changes no value.
void convertPublicUN(DcmItem *item) {
    for (unsigned long index = 0; index < item->card(); ++index) {
        DcmElement *element = item->getElement(index);
        if (element == nullptr) continue;
        if (element->ident() == EVR_SQ) {
            auto *sequence = static_cast<DcmSequenceOfItems *>(element);
            for (unsigned long itemIndex = 0; itemIndex < sequence->card(); ++itemIndex)
                convertPublicUN(sequence->getItem(itemIndex));
        } else if (element->getVR() == EVR_UN) {
            if (DcmElement *converted = knownVersionOf(element)) item->insert(converted, OFTrue);
        }
    }
}

// A cheap look at the first bytes before DCMTK's autodetection, which reads plain text as implicit VR
// elements and then reports a confusing "premature end of stream": a DICOM input either has "DICM" after
// a 128-byte preamble or starts with a low even group (0002 meta, 0004 DICOMDIR, 0008 and up) in either
// byte order.
bool looksLikeDicom(const uint8_t *bytes, size_t length) {
    if (length >= 132 && std::memcmp(bytes + 128, "DICM", 4) == 0) return true;
    if (length >= 4 && std::memcmp(bytes, "DICM", 4) == 0) return true;  // meta without preamble
    if (length < 8) return false;
    const unsigned little = bytes[0] | (bytes[1] << 8), big = (bytes[0] << 8) | bytes[1];
    auto plausible = [](unsigned group) { return group >= 0x0002 && group <= 0x0100 && group % 2 == 0; };
    return plausible(little) || plausible(big);
}

// DCMTK's words for reading errors, made to name the cause.
std::string readFailure(const OFCondition &status) {
    if (status == EC_StreamNotifyClient) return "truncated (premature end of data)";
    return status.text();
}

// Parses a file DCMTK can seek in: values larger than DCM_MaxReadLength stay on disk until the whole
// structure has parsed, so a truncated file that declares a 4 GiB value fails before anything is allocated.
int loadParsed(const char *path, dsh_object **object, dsh_error *error) {
    // A Deflated dataset cannot be read lazily: it is inflated once, counting, before DCMTK holds it all.
    const int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor >= 0) {
        uint64_t offset = 0;
        std::string syntax, problem;
        int64_t inflated = 0;
        if (shim::partTenLayout(descriptor, offset, syntax) && syntax == UID_DeflatedExplicitVRLittleEndianTransferSyntax)
            inflated = shim::inflateFrom(descriptor, offset, shim::maximumInflatedBytes, nullptr, problem);
        close(descriptor);
        if (inflated > static_cast<int64_t>(shim::maximumInflatedBytes))
            return fail(error, "the Deflated dataset inflates to more than " + std::to_string(shim::maximumInflatedBytes >> 30) +
                                   " GiB: refused (a decompression bomb)");
    }
    auto *holder = new dsh_object();
    DcmFileFormat &file = holder->file;
    OFCondition status = file.loadFile(path, EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
    if (status.good()) status = file.loadAllDataIntoMemory();
    if (status.bad()) {
        delete holder;
        return fail(error, readFailure(status));
    }
    if (checkParsed(file, error) != DSH_OK) {
        delete holder;
        return DSH_ERROR;
    }
    holder->deflated = file.getDataset()->getOriginalXfer() == EXS_DeflatedLittleEndianExplicit;
    *object = holder;
    return DSH_OK;
}

} // namespace

extern "C" int dsh_read_file(const char *path, dsh_object **object, dsh_error *error) {
    return guarded(error, [&]() -> int {
        struct stat info;
        if (stat(path, &info) != 0) return fail(error, std::string(std::strerror(errno)));
        if (S_ISDIR(info.st_mode)) return fail(error, "is a directory");
        if (info.st_size == 0) return fail(error, "empty file");
        uint8_t head[132] = {0};
        FILE *file = std::fopen(path, "rb");
        if (file == nullptr) return fail(error, std::string(std::strerror(errno)));
        const size_t got = std::fread(head, 1, sizeof head, file);
        std::fclose(file);
        if (!looksLikeDicom(head, got)) return fail(error, "not a DICOM file");
        if (got >= 4 && std::memcmp(head, "DICM", 4) == 0) {
            // "DICM" without the 128-byte preamble: DCMTK only autodetects meta starting at offset 0.
            std::vector<uint8_t> whole(static_cast<size_t>(info.st_size));
            FILE *again = std::fopen(path, "rb");
            if (again == nullptr) return fail(error, std::string(std::strerror(errno)));
            const size_t read = std::fread(whole.data(), 1, whole.size(), again);
            std::fclose(again);
            return dsh_read_buffer(whole.data(), read, object, error);
        }
        return loadParsed(path, object, error);
    });
}

// Bytes in memory are parsed through an anonymous memory file rather than DCMTK's buffer stream: a buffer
// stream cannot defer values, and DCMTK allocates each value's declared length before reading it.
extern "C" int dsh_read_buffer(const uint8_t *bytes, size_t length, dsh_object **object, dsh_error *error) {
    return guarded(error, [&]() -> int {
        if (length == 0) return fail(error, "empty input");
        if (!looksLikeDicom(bytes, length)) return fail(error, "not DICOM data");
        if (length >= 4 && std::memcmp(bytes, "DICM", 4) == 0) {
            bytes += 4;  // "DICM" without its preamble: parse the meta elements that follow
            length -= 4;
        }
        const int descriptor = memfd_create("dicom-input", MFD_CLOEXEC);
        if (descriptor < 0) return fail(error, std::string("memory file: ") + std::strerror(errno));
        for (size_t written = 0; written < length;) {
            const ssize_t count = write(descriptor, bytes + written, length - written);
            if (count < 0 && errno == EINTR) continue;
            if (count <= 0) {
                const std::string reason = std::strerror(errno);
                close(descriptor);
                return fail(error, "memory file: " + reason);
            }
            written += static_cast<size_t>(count);
        }
        const std::string path = "/proc/self/fd/" + std::to_string(descriptor);
        const int result = loadParsed(path.c_str(), object, error);
        close(descriptor);
        return result;
    });
}

extern "C" dsh_object *dsh_new(void) {
    try {
        return new dsh_object();
    } catch (...) {
        return nullptr;
    }
}

extern "C" dsh_object *dsh_clone(const dsh_object *object) {
    try {
        auto *copy = new dsh_object();
        copy->file = object->file;
        copy->deflated = object->deflated;
        return copy;
    } catch (...) {
        return nullptr;
    }
}

extern "C" void dsh_release(dsh_object *object) {
    try {
        delete object;
    } catch (...) {
    }
}

// The transfer syntax an object is written in: the requested one, else its own (deflate kept).
static E_TransferSyntax outputSyntax(dsh_object *object, const char *transfer_syntax_uid) {
    E_TransferSyntax xfer = object->deflated ? EXS_DeflatedLittleEndianExplicit : object->file.getDataset()->getCurrentXfer();
    if (transfer_syntax_uid != nullptr) xfer = DcmXfer(transfer_syntax_uid).getXfer();
    return xfer == EXS_Unknown ? EXS_LittleEndianExplicit : xfer;
}

// Writing updates the meta information's standard elements (class, instance, syntax, implementation) and
// keeps the others: DCMTK 3.6.7's default, a new meta header, would drop the Sending and Receiving AE Titles
// the receiver noted (what routers select on). De-identification removes them itself where it must.
static const E_FileWriteMode keepMeta = EWM_updateMeta;

extern "C" int dsh_write_buffer(dsh_object *object, const char *transfer_syntax_uid, uint8_t **bytes,
                                size_t *length, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmFileFormat &file = object->file;
        const E_TransferSyntax xfer = outputSyntax(object, transfer_syntax_uid);
        if (!file.getDataset()->canWriteXfer(xfer))
            return fail(error, std::string("cannot write the dataset in ") + DcmXfer(xfer).getXferName() +
                                   " from its current representation");

        std::vector<uint8_t> output;
        output.reserve(static_cast<size_t>(file.calcElementLength(xfer, EET_ExplicitLength)) + 4096);
        const size_t chunkSize = 1 << 20;
        std::unique_ptr<uint8_t[]> chunk(new uint8_t[chunkSize]);  // not zeroed: DCMTK writes before we read
        DcmOutputBufferStream stream(chunk.get(), static_cast<offile_off_t>(chunkSize));
        auto drain = [&] {
            void *data = nullptr;
            offile_off_t size = 0;
            stream.flushBuffer(data, size);
            const auto *start = static_cast<const uint8_t *>(data);
            output.insert(output.end(), start, start + size);
        };
        file.transferInit();
        OFCondition status;
        do {
            status = file.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_noChange, 0, 0, 0, keepMeta);
            drain();
        } while (status == EC_StreamNotifyClient);
        file.transferEnd();
        if (status.bad()) return fail(error, status);
        // Deflate keeps its tail in the compression filter until the stream is flushed.
        stream.flush();
        drain();
        while (!stream.isFlushed()) {
            stream.flush();
            drain();
        }

        auto *result = static_cast<uint8_t *>(std::malloc(output.empty() ? 1 : output.size()));
        if (result == nullptr) return fail(error, "out of memory");
        if (!output.empty()) std::memcpy(result, output.data(), output.size());
        *bytes = result;
        *length = output.size();
        return DSH_OK;
    });
}

extern "C" size_t dsh_encoded_capacity(dsh_object *object, const char *transfer_syntax_uid) {
    try {
        const E_TransferSyntax xfer = outputSyntax(object, transfer_syntax_uid);
        if (xfer == EXS_DeflatedLittleEndianExplicit) return 0;
        // Group lengths and the meta information are recomputed while writing: leave room for them.
        return static_cast<size_t>(object->file.calcElementLength(xfer, EET_ExplicitLength)) + 4096;
    } catch (...) {
        return 0;
    }
}

extern "C" int dsh_write_into(dsh_object *object, const char *transfer_syntax_uid, uint8_t *buffer, size_t capacity,
                              size_t *length, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmFileFormat &file = object->file;
        const E_TransferSyntax xfer = outputSyntax(object, transfer_syntax_uid);
        if (xfer == EXS_DeflatedLittleEndianExplicit || !file.getDataset()->canWriteXfer(xfer)) return DSH_NOT_FOUND;
        DcmOutputBufferStream stream(buffer, static_cast<offile_off_t>(capacity));
        file.transferInit();
        OFCondition status = file.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_noChange, 0, 0, 0, keepMeta);
        file.transferEnd();
        if (status == EC_StreamNotifyClient) return DSH_NOT_FOUND;  // did not fit: the caller falls back
        if (status.bad()) return fail(error, status);
        void *data = nullptr;
        offile_off_t size = 0;
        stream.flushBuffer(data, size);
        *length = static_cast<size_t>(size);
        return DSH_OK;
    });
}

extern "C" int dsh_transfer_syntax(dsh_object *object, char **uid, dsh_error *error) {
    return guarded(error, [&]() -> int {
        E_TransferSyntax xfer = object->file.getDataset()->getCurrentXfer();
        if (xfer == EXS_Unknown) xfer = object->file.getDataset()->getOriginalXfer();
        if (object->deflated) xfer = EXS_DeflatedLittleEndianExplicit;
        *uid = shim::copyString(DcmXfer(xfer).getXferID());
        return DSH_OK;
    });
}

extern "C" int dsh_has_meta_information(dsh_object *object) {
    try {
        DcmMetaInfo *meta = object->file.getMetaInfo();
        return meta != nullptr && meta->card() > 0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}
