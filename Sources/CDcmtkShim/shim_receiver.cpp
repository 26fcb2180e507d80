// The embedded storage SCP: DCMTK's SCP pool with a worker that writes each object atomically.
#include "shim_internal.h"
#include "shim_transport.h"

#include "dcmtk/dcmnet/scppool.h"
#include "dcmtk/dcmnet/scpthrd.h"

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

using shim::fail;
using shim::guarded;

namespace {

// What a receiver does with objects; workers find it by the port their association came in on (DCMTK
// constructs workers itself, with no way to hand them a pointer).
struct ReceiverState {
    std::string folder;  // empty: discard
    std::atomic<uint64_t> stored{0};
    std::atomic<uint64_t> bytes{0};
};

std::mutex registryLock;
std::map<Uint16, ReceiverState *> registry;

ReceiverState *stateFor(Uint16 port) {
    std::lock_guard<std::mutex> guard(registryLock);
    auto found = registry.find(port);
    return found == registry.end() ? nullptr : found->second;
}

// Writes a received dataset as <folder>/<uid>.dcm through a temporary file, fsync and rename.
bool writeAtomically(const std::string &folder, const OFString &uid, DcmDataset *dataset, E_TransferSyntax xfer,
                     uint64_t &written) {
    for (const char c : std::string(uid.c_str()))
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;  // a UID names the file
    const std::string final = folder + "/" + uid.c_str() + ".dcm";
    std::string temporary = folder + "/." + uid.c_str() + ".XXXXXX";
    const int descriptor = mkstemp(&temporary[0]);
    if (descriptor < 0) return false;
    close(descriptor);
    DcmFileFormat file(dataset);
    OFCondition condition = file.saveFile(temporary.c_str(), xfer);
    bool ok = condition.good();
    if (ok) {
        const int again = open(temporary.c_str(), O_RDONLY);
        ok = again >= 0 && fsync(again) == 0;
        if (again >= 0) {
            struct stat info;
            if (fstat(again, &info) == 0) written = static_cast<uint64_t>(info.st_size);
            close(again);
        }
    }
    ok = ok && std::rename(temporary.c_str(), final.c_str()) == 0;
    if (!ok) unlink(temporary.c_str());
    return ok;
}

class StorageWorker : public DcmThreadSCP {
protected:
    OFCondition handleIncomingCommand(T_DIMSE_Message *message, const DcmPresentationContextInfo &context) override {
        if (message->CommandField != DIMSE_C_STORE_RQ) return DcmThreadSCP::handleIncomingCommand(message, context);
        T_DIMSE_C_StoreRQ &request = message->msg.CStoreRQ;
        T_ASC_PresentationContextID id = context.presentationContextID;
        DcmDataset *dataset = nullptr;
        OFCondition condition = receiveSTORERequest(request, id, dataset);
        if (condition.bad()) {
            delete dataset;
            return condition;
        }
        ReceiverState *state = stateFor(getConfig().getPort());
        Uint16 status = STATUS_Success;
        uint64_t written = 0;
        if (state == nullptr) {
            status = STATUS_STORE_Refused_OutOfResources;
        } else if (!state->folder.empty()) {
            const E_TransferSyntax xfer = DcmXfer(context.acceptedTransferSyntax.c_str()).getXfer();
            if (!writeAtomically(state->folder, request.AffectedSOPInstanceUID, dataset, xfer, written))
                status = STATUS_STORE_Refused_OutOfResources;
        } else {
            written = dataset->calcElementLength(dataset->getCurrentXfer(), EET_ExplicitLength);
        }
        delete dataset;
        // Counted before the response leaves: a sender that got its confirmation finds it counted.
        if (status == STATUS_Success && state != nullptr) {
            state->stored += 1;
            state->bytes += written;
        }
        return sendSTOREResponse(id, request, status);
    }
};

// The pool, with the hooks it needs to stop listening and to use the low-latency transport.
class StoragePool : public DcmSCPPool<StorageWorker> {};

} // namespace

struct dsh_receiver {
    ReceiverState state;
    shim::LowLatencyTransportLayer transport;
    StoragePool pool;
    std::thread listener;
    Uint16 port = 0;
    std::atomic<bool> stopping{false};
    std::atomic<bool> ended{false};
    std::mutex failureLock;
    std::string failure;
};

extern "C" int dsh_receiver_start(const char *ae_title, uint16_t port, const char *output_folder, int max_associations,
                                  int idle_seconds, dsh_receiver **receiver, char **error) {
    return guarded(error, [&]() -> int {
        auto *result = new dsh_receiver();
        result->port = port;
        if (output_folder != nullptr) result->state.folder = output_folder;
        {
            std::lock_guard<std::mutex> guard(registryLock);
            if (registry.count(port) != 0) {
                delete result;
                return fail(error, "a receiver already listens on this port in this process");
            }
            registry[port] = &result->state;
        }
        DcmSCPConfig &config = result->pool.getConfig();
        config.setAETitle(ae_title);
        config.setPort(port);
        config.setMaxReceivePDULength(131072);
        config.setConnectionBlockingMode(DUL_NOBLOCK);
        config.setConnectionTimeout(1);  // the listener checks for stop() every second
        // A peer that goes silent inside an association (its link vanished without a FIN) is dropped.
        config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        config.setDIMSETimeout(static_cast<Uint32>(idle_seconds));
        config.setACSETimeout(static_cast<Uint32>(idle_seconds));
        config.setHostLookupEnabled(OFFalse);
        config.setTransportLayer(&result->transport);
        config.setAlwaysAcceptDefaultRole(OFTrue);
        OFList<OFString> syntaxes;
        for (const char *uid : {UID_JPEGLSLosslessTransferSyntax, UID_JPEGLSLossyTransferSyntax,
                                UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess14TransferSyntax,
                                UID_RLELosslessTransferSyntax, UID_JPEG2000LosslessOnlyTransferSyntax,
                                UID_JPEG2000TransferSyntax, UID_JPEGProcess1TransferSyntax,
                                UID_JPEGProcess2_4TransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax,
                                UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
                                UID_BigEndianExplicitTransferSyntax})
            syntaxes.push_back(uid);
        // An acceptor profile holds at most 128 contexts, fewer than DCMTK's 186 storage classes: DCMTK's own
        // list of the 120 most used ones (every image, SR, RT, SEG, presentation state and document class
        // that matters here) plus Verification.
        OFCondition condition = config.addPresentationContext(UID_VerificationSOPClass, syntaxes);
        for (int index = 0; condition.good() && index < numberOfDcmLongSCUStorageSOPClassUIDs; ++index)
            condition = config.addPresentationContext(dcmLongSCUStorageSOPClassUIDs[index], syntaxes);
        if (condition.bad()) {
            dsh_receiver_stop(result, nullptr, nullptr);
            return fail(error, condition, "receiver");
        }
        result->pool.setMaxThreads(static_cast<Uint16>(max_associations > 0 ? max_associations : 8));
        result->listener = std::thread([result] {
            OFCondition ended = result->pool.listen();
            if (!result->stopping.load()) {
                std::lock_guard<std::mutex> guard(result->failureLock);
                result->failure = ended.bad() ? ended.text() : "the listener stopped";
            }
            result->ended = true;
        });
        *receiver = result;
        return DSH_OK;
    });
}

extern "C" int dsh_receiver_failed(dsh_receiver *receiver, char **error) {
    if (!receiver->ended.load() || receiver->stopping.load()) return 0;
    std::lock_guard<std::mutex> guard(receiver->failureLock);
    if (error != nullptr) *error = shim::copyString(receiver->failure);
    return 1;
}

extern "C" uint64_t dsh_receiver_stored(dsh_receiver *receiver) { return receiver->state.stored.load(); }
extern "C" uint64_t dsh_receiver_bytes(dsh_receiver *receiver) { return receiver->state.bytes.load(); }

extern "C" void dsh_receiver_stop(dsh_receiver *receiver, uint64_t *stored, uint64_t *bytes) {
    if (receiver == nullptr) return;
    receiver->stopping = true;
    try {
        receiver->pool.stopAfterCurrentAssociations();
        if (receiver->listener.joinable()) receiver->listener.join();
    } catch (...) {
    }
    if (stored != nullptr) *stored = receiver->state.stored.load();
    if (bytes != nullptr) *bytes = receiver->state.bytes.load();
    {
        std::lock_guard<std::mutex> guard(registryLock);
        registry.erase(receiver->port);
    }
    try {
        delete receiver;
    } catch (...) {
    }
}
