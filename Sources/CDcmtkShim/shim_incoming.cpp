#include "shim_incoming.h"
#include "shim_deflate.h"

#include "dcmtk/dcmdata/dcostrmb.h"
#include "dcmtk/dcmdata/dctk.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace shim {

namespace {

constexpr size_t prefixLimit = 1 << 20;

void appendLittleEndian(std::string &out, uint32_t value, int bytes) {
    for (int index = 0; index < bytes; ++index) out.push_back(static_cast<char>((value >> (8 * index)) & 0xFF));
}

// One explicit VR little endian element of group 0002 with a short (16-bit) length.
void appendElement(std::string &out, uint16_t element, const char *vr, std::string value, char padding) {
    if (value.size() % 2 != 0) value.push_back(padding);
    appendLittleEndian(out, 0x0002, 2);
    appendLittleEndian(out, element, 2);
    out.append(vr, 2);
    appendLittleEndian(out, static_cast<uint32_t>(value.size()), 2);
    out += value;
}

bool writeAll(int descriptor, const char *bytes, size_t length) {
    while (length > 0) {
        const ssize_t count = ::write(descriptor, bytes, length);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return false;
        bytes += count;
        length -= static_cast<size_t>(count);
    }
    return true;
}

// Up to a MiB of the dataset as DCMTK should parse it: raw, or inflated when deflated.
bool datasetPrefix(int descriptor, uint64_t offset, bool deflated, std::vector<char> &prefix, std::string &problem) {
    if (deflated) return inflateFrom(descriptor, offset, prefixLimit - 1, &prefix, problem) >= 0;
    prefix.resize(prefixLimit);
    const ssize_t count = pread(descriptor, prefix.data(), prefixLimit, static_cast<off_t>(offset));
    if (count < 0) {
        problem = std::string("cannot read the received object: ") + std::strerror(errno);
        return false;
    }
    prefix.resize(static_cast<size_t>(count));
    return true;
}

bool sameContent(int first, int second) {
    std::vector<char> a(64 * 1024), b(64 * 1024);
    for (off_t offset = 0;;) {
        const ssize_t countA = pread(first, a.data(), a.size(), offset);
        const ssize_t countB = pread(second, b.data(), b.size(), offset);
        if (countA < 0 || countB < 0 || countA != countB) return false;
        if (countA == 0) return true;
        if (std::memcmp(a.data(), b.data(), static_cast<size_t>(countA)) != 0) return false;
        offset += countA;
    }
}

// The whole object as explicit little endian with every pixel decoded, or empty when it is too large to
// compare (file over 8 MiB, pixels over 64 MiB) or cannot be decoded.
std::string canonicalObject(int descriptor) {
    struct stat info;
    if (fstat(descriptor, &info) != 0 || info.st_size > (8 << 20)) return "";
    DcmFileFormat file;
    const std::string path = "/proc/self/fd/" + std::to_string(descriptor);
    if (file.loadFile(path.c_str()).bad()) return "";
    DcmDataset *dataset = file.getDataset();
    Uint16 rows = 0, columns = 0, samples = 1, bits = 0;
    long frames = 1;
    dataset->findAndGetUint16(DCM_Rows, rows);
    dataset->findAndGetUint16(DCM_Columns, columns);
    dataset->findAndGetUint16(DCM_SamplesPerPixel, samples);
    dataset->findAndGetUint16(DCM_BitsAllocated, bits);
    dataset->findAndGetLongInt(DCM_NumberOfFrames, frames);
    const double pixels = double(rows) * columns * std::max<long>(frames, 1) * std::max<Uint16>(samples, 1) * (bits / 8.0);
    if (pixels > double(64 << 20) || dataset->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) return "";
    const Uint32 length = dataset->calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength);
    std::string bytes(length, '\0');
    DcmOutputBufferStream stream(&bytes[0], length);
    dataset->transferInit();
    const OFCondition written = dataset->write(stream, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
    dataset->transferEnd();
    if (written.bad()) return "";
    void *buffer = nullptr;
    offile_off_t filled = 0;
    stream.flushBuffer(buffer, filled);
    bytes.resize(static_cast<size_t>(filled));
    return bytes;
}

// The same object in another transfer syntax (a retry that travelled differently, or the same study sent
// again compressed): equal once both are decoded. One comparison at a time, so memory stays bounded.
bool sameDecodedObject(int first, int second) {
    static std::mutex comparing;
    std::lock_guard<std::mutex> guard(comparing);
    const std::string a = canonicalObject(first);
    return !a.empty() && a == canonicalObject(second);
}

} // namespace

OFCondition BoundedFileConsumer::status() const {
    return writeError_ == 0 ? EC_Normal : makeOFCondition(OFM_dcmdata, 18, OF_error, std::strerror(writeError_));
}

offile_off_t BoundedFileConsumer::write(const void *buffer, offile_off_t length) {
    const uint64_t count = static_cast<uint64_t>(length);
    if (descriptor_ >= 0 && writeError_ == 0 && received_ + count <= limit_) {
        if (!writeAll(descriptor_, static_cast<const char *>(buffer), count)) writeError_ = errno != 0 ? errno : EIO;
    }
    received_ += count;
    return length;  // always "written": past the limit or after an error the rest is read and dropped
}

std::string cleanAETitle(const char *title) {
    std::string clean;
    for (const char *c = title; *c != '\0' && clean.size() < 16; ++c) {
        if (*c >= 0x20 && *c < 0x7F && *c != '\\') clean.push_back(*c);
    }
    const size_t first = clean.find_first_not_of(' '), last = clean.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : clean.substr(first, last - first + 1);
}

std::string fileMetaInformation(const std::string &sopClass, const std::string &sopInstance,
                                const std::string &transferSyntax, const std::string &sendingAET,
                                const std::string &receivingAET) {
    std::string elements;
    appendLittleEndian(elements, 0x0002, 2);
    appendLittleEndian(elements, 0x0001, 2);
    elements += "OB";
    appendLittleEndian(elements, 0, 2);
    appendLittleEndian(elements, 2, 4);
    elements.push_back('\0');
    elements.push_back('\1');
    appendElement(elements, 0x0002, "UI", sopClass, '\0');
    appendElement(elements, 0x0003, "UI", sopInstance, '\0');
    appendElement(elements, 0x0010, "UI", transferSyntax, '\0');
    appendElement(elements, 0x0012, "UI", OFFIS_IMPLEMENTATION_CLASS_UID, '\0');
    appendElement(elements, 0x0013, "SH", OFFIS_DTK_IMPLEMENTATION_VERSION_NAME, ' ');
    if (!sendingAET.empty()) appendElement(elements, 0x0017, "AE", sendingAET, ' ');
    if (!receivingAET.empty()) appendElement(elements, 0x0018, "AE", receivingAET, ' ');
    std::string header(128, '\0');
    header += "DICM";
    appendLittleEndian(header, 0x0002, 2);
    appendLittleEndian(header, 0x0000, 2);
    header += "UL";
    appendLittleEndian(header, 4, 2);
    appendLittleEndian(header, static_cast<uint32_t>(elements.size()), 4);
    return header + elements;
}

bool isValidUID(const std::string &uid) {
    if (uid.empty() || uid.size() > 64) return false;
    size_t start = 0;
    while (true) {
        const size_t dot = uid.find('.', start);
        const std::string component = uid.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (component.empty() || (component.size() > 1 && component[0] == '0')) return false;
        for (const char c : component)
            if (c < '0' || c > '9') return false;
        if (dot == std::string::npos) return true;
        start = dot + 1;
    }
}

bool readObjectUIDs(int descriptor, uint64_t datasetOffset, const std::string &transferSyntax, std::string &sopClass,
                    std::string &sopInstance, std::string &studyInstance, std::string &problem) {
    const bool deflated = transferSyntax == UID_DeflatedExplicitVRLittleEndianTransferSyntax;
    std::vector<char> prefix;
    if (!datasetPrefix(descriptor, datasetOffset, deflated, prefix, problem)) return false;
    // Parsed from an anonymous file: DCMTK defers large values of a file instead of allocating them.
    const int memory = memfd_create("received-prefix", MFD_CLOEXEC);
    if (memory < 0) {
        problem = std::string("memory file: ") + std::strerror(errno);
        return false;
    }
    const std::string header =
        fileMetaInformation("", "", deflated ? UID_LittleEndianExplicitTransferSyntax : transferSyntax);
    const bool written = writeAll(memory, header.data(), header.size()) && writeAll(memory, prefix.data(), prefix.size());
    DcmFileFormat file;
    if (written) {
        const std::string path = "/proc/self/fd/" + std::to_string(memory);
        // Stops before the first element past the Study Instance UID; a cut value at the prefix's end is never
        // one of the SOP UIDs (they would be missing, and the object refused).
        file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_fileOnly, DcmTagKey(0x0020, 0x000E));
    }
    close(memory);
    OFString classValue, instanceValue;
    DcmDataset *dataset = file.getDataset();
    if (!written || dataset->findAndGetOFString(DCM_SOPClassUID, classValue).bad() ||
        dataset->findAndGetOFString(DCM_SOPInstanceUID, instanceValue).bad()) {
        problem = "no SOP Class UID or SOP Instance UID in the first MiB of the dataset";
        return false;
    }
    sopClass = classValue.c_str();
    sopInstance = instanceValue.c_str();
    OFString studyValue;
    studyInstance = dataset->findAndGetOFString(DCM_StudyInstanceUID, studyValue).good() && isValidUID(studyValue.c_str())
                        ? studyValue.c_str() : "";
    return true;
}

Placement placeDurably(int folderDescriptor, int fileDescriptor, const std::string &temporaryName,
                       const std::string &finalName, std::string &problem) {
    if (fsync(fileDescriptor) != 0) {
        problem = std::string("cannot sync the received object: ") + std::strerror(errno);
        unlinkat(folderDescriptor, temporaryName.c_str(), 0);
        return Placement::failed;
    }
    if (renameat2(folderDescriptor, temporaryName.c_str(), folderDescriptor, finalName.c_str(), RENAME_NOREPLACE) == 0) {
        if (fsync(folderDescriptor) != 0) {
            problem = std::string("cannot sync the folder: ") + std::strerror(errno);
            return Placement::failed;
        }
        return Placement::stored;
    }
    const int reason = errno;
    if (reason != EEXIST) {
        problem = std::string("cannot rename the received object into place: ") + std::strerror(reason);
        unlinkat(folderDescriptor, temporaryName.c_str(), 0);
        return Placement::failed;
    }
    const int existing = openat(folderDescriptor, finalName.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    const bool identical = existing >= 0 && (sameContent(existing, fileDescriptor) || sameDecodedObject(existing, fileDescriptor));
    if (existing >= 0) close(existing);
    unlinkat(folderDescriptor, temporaryName.c_str(), 0);
    if (!identical) return Placement::conflicting;
    fsync(folderDescriptor);  // the first copy may have been renamed just before a crash
    return Placement::identical;
}

} // namespace shim
