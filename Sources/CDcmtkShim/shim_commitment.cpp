// Storage Commitment datasets, the provider's checks and the receiver's digests (see shim_commitment.h).
#include "shim_commitment.h"
#include "shim_incoming.h"
#include "shim_transport.h"

#include <cstdio>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// Failure reasons of PS3.4 Annex J (C.14.1.1).
constexpr Uint16 processingFailure = 0x0110;
constexpr Uint16 noSuchObjectInstance = 0x0112;
constexpr Uint16 classInstanceConflict = 0x0119;

std::string stringOf(DcmItem &item, const DcmTagKey &key) {
    OFString value;
    item.findAndGetOFString(key, value);
    return value.c_str();
}

// The sequence of this key in `parent`, inserted when missing: items are appended to it directly (DCMTK's
// findOrCreateSequenceItem walks the whole sequence for each new item).
DcmSequenceOfItems *sequenceIn(DcmItem &parent, const DcmTagKey &key) {
    DcmSequenceOfItems *sequence = nullptr;
    if (parent.findAndGetSequence(key, sequence).good() && sequence != nullptr) return sequence;
    sequence = new DcmSequenceOfItems(DcmTag(key));
    if (parent.insert(sequence).bad()) {
        delete sequence;
        return nullptr;
    }
    return sequence;
}

void addReference(DcmSequenceOfItems *sequence, const std::string &sopClass, const std::string &instance, const Uint16 *reason) {
    if (sequence == nullptr) return;
    auto *item = new DcmItem();
    item->putAndInsertString(DCM_ReferencedSOPClassUID, sopClass.c_str());
    item->putAndInsertString(DCM_ReferencedSOPInstanceUID, instance.c_str());
    if (reason != nullptr) item->putAndInsertUint16(DCM_FailureReason, *reason);
    if (sequence->append(item).bad()) delete item;
}

// The digest recorded when the instance arrived; empty when there is none.
std::string recordedDigest(int folderDescriptor, const std::string &instance) {
    std::string recorded;
    const int descriptor = openat(folderDescriptor, (std::string(shim::digestFolder) + "/" + instance).c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return recorded;
    char buffer[65] = "";
    if (read(descriptor, buffer, 64) == 64) recorded.assign(buffer, 64);
    close(descriptor);
    return recorded;
}

// Why this instance cannot be committed, or 0 when it can.
Uint16 failureReason(const std::string &folder, int folderDescriptor, const std::string &sopClass, const std::string &instance) {
    if (!shim::isValidUID(instance)) return noSuchObjectInstance;
    const int descriptor = openat(folderDescriptor, (instance + ".dcm").c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return noSuchObjectInstance;
    const std::string digest = shim::fileDigest(descriptor);
    close(descriptor);
    // Altered since it arrived, or arrived without its digest: not what the sender sent, as far as we know.
    if (digest.empty() || recordedDigest(folderDescriptor, instance) != digest) return processingFailure;
    DcmFileFormat file;
    const std::string location = folder + "/" + instance + ".dcm";
    if (file.loadFile(location.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return processingFailure;
    if (stringOf(*file.getDataset(), DCM_SOPInstanceUID) != instance) return processingFailure;
    if (stringOf(*file.getDataset(), DCM_SOPClassUID) != sopClass) return classInstanceConflict;
    return 0;
}

} // namespace

namespace shim {

void commitmentRequest(DcmDataset &request, const std::string &transactionUID,
                       const std::vector<std::pair<std::string, std::string>> &references) {
    request.putAndInsertString(DCM_TransactionUID, transactionUID.c_str());
    DcmSequenceOfItems *sequence = sequenceIn(request, DCM_ReferencedSOPSequence);
    for (const auto &reference : references) addReference(sequence, reference.first, reference.second, nullptr);
}

std::string commitmentReportText(DcmDataset &report) {
    std::string text = "transaction\t" + stringOf(report, DCM_TransactionUID) + "\n";
    const std::pair<DcmTagKey, const char *> sequences[] = {{DCM_ReferencedSOPSequence, "committed"}, {DCM_FailedSOPSequence, "failed"}};
    for (const auto &sequence : sequences) {
        DcmSequenceOfItems *items = nullptr;
        if (report.findAndGetSequence(sequence.first, items).bad() || items == nullptr) continue;
        for (unsigned long index = 0; index < items->card(); ++index) {
            DcmItem *item = items->getItem(index);
            const std::string sopClass = stringOf(*item, DCM_ReferencedSOPClassUID), instance = stringOf(*item, DCM_ReferencedSOPInstanceUID);
            if (instance.empty() || instance.find_first_of("\t\n") != std::string::npos ||
                sopClass.find_first_of("\t\n") != std::string::npos)
                continue;
            text += std::string(sequence.second) + "\t" + sopClass + "\t" + instance;
            if (sequence.first == DCM_FailedSOPSequence) {
                Uint16 reason = processingFailure;
                item->findAndGetUint16(DCM_FailureReason, reason);
                char hex[8];
                std::snprintf(hex, sizeof hex, "%04X", reason);
                text += std::string("\t") + hex;
            }
            text += "\n";
        }
    }
    return text;
}

bool checkCommitment(const std::string &folder, int folderDescriptor, DcmDataset &request, DcmDataset &report, Uint16 &eventType) {
    const std::string transaction = stringOf(request, DCM_TransactionUID);
    if (transaction.empty()) return false;
    report.putAndInsertString(DCM_TransactionUID, transaction.c_str());
    eventType = 1;
    DcmSequenceOfItems *items = nullptr;
    if (request.findAndGetSequence(DCM_ReferencedSOPSequence, items).bad() || items == nullptr) return true;
    for (unsigned long index = 0; index < items->card(); ++index) {
        DcmItem *item = items->getItem(index);
        const std::string sopClass = stringOf(*item, DCM_ReferencedSOPClassUID), instance = stringOf(*item, DCM_ReferencedSOPInstanceUID);
        const Uint16 reason = failureReason(folder, folderDescriptor, sopClass, instance);
        if (reason == 0) {
            addReference(sequenceIn(report, DCM_ReferencedSOPSequence), sopClass, instance, nullptr);
        } else {
            addReference(sequenceIn(report, DCM_FailedSOPSequence), sopClass, instance, &reason);
            eventType = 2;
        }
    }
    return true;
}

void recordDigest(int folderDescriptor, const std::string &instance, const std::string &hexDigest) {
    mkdirat(folderDescriptor, digestFolder, 0700);
    const std::string name = std::string(digestFolder) + "/" + instance;
    const int descriptor = openat(folderDescriptor, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (descriptor < 0) return;
    size_t written = 0;
    while (written < hexDigest.size()) {
        const ssize_t count = write(descriptor, hexDigest.data() + written, hexDigest.size() - written);
        if (count <= 0) break;
        written += static_cast<size_t>(count);
    }
    close(descriptor);
}

std::string sendCommitmentReport(const std::string &callingAET, const std::string &calledAET, const std::string &host,
                                 uint16_t port, DcmDataset &report, Uint16 eventType, int timeoutSeconds) {
    LowLatencyTransportLayer transport;  // both outlive the SCU that uses them
    std::unique_ptr<LowLatencyTLSLayer> secure;
    LowLatencySCU scu;
    const dsh_timeouts timeouts{timeoutSeconds, timeoutSeconds, timeoutSeconds};
    configureSCU(scu, callingAET.c_str(), calledAET.c_str(), host.c_str(), port, timeouts);
    OFList<OFString> syntaxes;
    syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
    syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
    if (scu.addPresentationContext(commitmentClass, syntaxes, ASC_SC_ROLE_SCP).bad()) return "cannot propose the Storage Commitment context";
    dsh_error error{};
    if (openAssociation(scu, transport, secure, callingAET.c_str(), calledAET.c_str(), host.c_str(), port, timeouts, nullptr, &error) != DSH_OK) {
        const std::string text = error.message != nullptr ? error.message : "association failed";
        dsh_error_clear(&error);
        return text;
    }
    const T_ASC_PresentationContextID id = scu.findAnyPresentationContextID(commitmentClass, UID_LittleEndianExplicitTransferSyntax);
    if (id == 0) {
        scu.abortAssociation();
        return "the sender's listener accepted no Storage Commitment context";
    }
    Uint16 status = 0;
    const OFCondition condition = scu.sendEVENTREPORTRequest(id, commitmentInstance, eventType, &report, status);
    if (condition.bad()) {
        scu.abortAssociation();
        return std::string("N-EVENT-REPORT: ") + condition.text();
    }
    scu.releaseAssociation();
    if (status != 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%04X", status);
        return std::string("the sender answered the report with status ") + hex;
    }
    return "";
}

bool storedCopyAltered(int folderDescriptor, const std::string &instance) {
    const std::string recorded = recordedDigest(folderDescriptor, instance);
    if (recorded.empty()) return false;
    const int descriptor = openat(folderDescriptor, (instance + ".dcm").c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return false;
    const std::string digest = fileDigest(descriptor);
    close(descriptor);
    return digest != recorded;
}

std::string fileDigest(int descriptor) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == nullptr || EVP_DigestInit_ex(context, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(context);
        return "";
    }
    std::vector<unsigned char> buffer(1 << 20);
    off_t offset = 0;
    bool good = true;
    while (true) {
        const ssize_t count = pread(descriptor, buffer.data(), buffer.size(), offset);
        if (count < 0) {
            good = false;
            break;
        }
        if (count == 0) break;
        EVP_DigestUpdate(context, buffer.data(), static_cast<size_t>(count));
        offset += count;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context, digest, &length) != 1) good = false;
    EVP_MD_CTX_free(context);
    if (!good) return "";
    std::string hex;
    char pair[3];
    for (unsigned int index = 0; index < length; ++index) {
        std::snprintf(pair, sizeof pair, "%02x", digest[index]);
        hex += pair;
    }
    return hex;
}

} // namespace shim
