// Objects arriving at the receiver: streamed to a file as they come, checked, then put in place durably.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcostrma.h"

#include <cstdint>
#include <string>

namespace shim {

// Writes to a file descriptor (or nowhere, with -1) up to a limit; past it, bytes are counted and discarded
// so that the sender's data can still be read to its end and answered with a status.
class BoundedFileConsumer : public DcmConsumer {
public:
    BoundedFileConsumer(int descriptor, uint64_t limit) : descriptor_(descriptor), limit_(limit) {}
    OFBool good() const override { return writeError_ == 0; }
    OFCondition status() const override;
    OFBool isFlushed() const override { return OFTrue; }
    offile_off_t avail() const override { return 1 << 20; }
    offile_off_t write(const void *buffer, offile_off_t length) override;
    void flush() override {}

    uint64_t received() const { return received_; }
    bool overflowed() const { return received_ > limit_; }
    int writeError() const { return writeError_; }

private:
    int descriptor_;
    uint64_t limit_;
    uint64_t received_ = 0;
    int writeError_ = 0;
};

class BoundedOutputStream : public DcmOutputStream {
public:
    explicit BoundedOutputStream(BoundedFileConsumer &consumer) : DcmOutputStream(&consumer) {}
};

// Preamble, "DICM" and the file meta information of a received object, with the Sending and Receiving
// Application Entity Titles (0002,0017/0018) when given (what routers select on). Deterministic: the same
// object sent twice by the same peer gives the same file, byte for byte.
std::string fileMetaInformation(const std::string &sopClass, const std::string &sopInstance,
                                const std::string &transferSyntax, const std::string &sendingAET = "",
                                const std::string &receivingAET = "");

// An AE title from the network as the AE value representation allows it: printable ASCII without
// backslash, at most 16 characters, surrounding spaces removed.
std::string cleanAETitle(const char *title);

// A UID as PS3.5 9.1 allows: 1 to 64 characters, digits and dots, no empty component, no leading zero.
bool isValidUID(const std::string &uid);

// The object's own SOP Class and Instance UIDs, read from at most the first MiB of its dataset (inflated
// first for Deflated syntaxes, at most a MiB of it): whatever the object holds further on is never parsed.
// False with the reason when they cannot be read. Its Study Instance UID too when that lies in the same
// prefix (empty otherwise: it names the study in events, it is not required).
bool readObjectUIDs(int descriptor, uint64_t datasetOffset, const std::string &transferSyntax, std::string &sopClass,
                    std::string &sopInstance, std::string &studyInstance, std::string &problem);

enum class Placement { stored, identical, conflicting, failed };

// Syncs the temporary file, renames it to its final name in the folder unless that name exists, and syncs
// the folder: the steps of the Swift side's AtomicFile (AtomicOutput), which renames over an existing file. When it exists: identical content (byte for byte, or the same object once both are decoded,
// for small objects) is reported as such, other content as conflicting, and the temporary file is removed
// either way.
Placement placeDurably(int folderDescriptor, int fileDescriptor, const std::string &temporaryName,
                       const std::string &finalName, std::string &problem);

} // namespace shim
