// C-STORE SCU: associations with explicit presentation contexts, one object per call.
#include "shim_commitment.h"
#include "shim_internal.h"
#include "shim_transport.h"

using shim::fail;
using shim::guarded;

#include <chrono>
#include <linux/sockios.h>
#include <memory>
#include <sys/ioctl.h>

struct dsh_association {
    // Declared before the SCU: they outlive it.
    shim::LowLatencyTransportLayer transport;
    std::unique_ptr<shim::LowLatencyTLSLayer> tls;
    shim::LowLatencySCU scu;
};

extern "C" int dsh_associate(const char *calling_aet, const char *called_aet, const char *host, uint16_t port,
                             const dsh_timeouts *timeouts, uint32_t max_pdu, const char *const *contexts,
                             size_t context_count, const dsh_tls *tls, dsh_association **association,
                             dsh_error *error) {
    return guarded(error, [&]() -> int {
        if (context_count == 0 || context_count > 128) return fail(error, "between 1 and 128 presentation contexts");
        auto *result = new dsh_association();
        shim::LowLatencySCU &scu = result->scu;
        shim::configureSCU(scu, calling_aet, called_aet, host, port, *timeouts);
        scu.setMaxReceivePDULength(max_pdu);
        for (size_t index = 0; index < context_count; ++index) {
            const std::string text(contexts[index]);
            const size_t bar = text.find('|');
            if (bar == std::string::npos) {
                delete result;
                return fail(error, "malformed presentation context " + text);
            }
            OFList<OFString> syntaxes;
            size_t start = bar + 1;
            while (start <= text.size()) {
                const size_t comma = text.find(',', start);
                const std::string uid = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!uid.empty()) syntaxes.push_back(uid.c_str());
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            OFCondition added = scu.addPresentationContext(text.substr(0, bar).c_str(), syntaxes);
            if (added.bad()) {
                delete result;
                return fail(error, added, "presentation context");
            }
        }
        if (shim::openAssociation(scu, result->transport, result->tls, calling_aet, called_aet, host, port, *timeouts, tls,
                                  error) != DSH_OK) {
            delete result;
            return DSH_ERROR;
        }
        scu.watchSocket(result->tls ? result->tls->lastSocket.load() : result->transport.lastSocket.load());
        *association = result;
        return DSH_OK;
    });
}

OFCondition shim::LowLatencySCU::store(T_ASC_PresentationContextID id, DcmDataset &dataset, const OFString &sopClass,
                                       const OFString &sopInstance, T_DIMSE_Priority priority, Uint16 &status) {
    T_DIMSE_Message request{};
    request.CommandField = DIMSE_C_STORE_RQ;
    T_DIMSE_C_StoreRQ &store = request.msg.CStoreRQ;
    store.MessageID = ++lastMessageID_;
    OFStandard::strlcpy(store.AffectedSOPClassUID, sopClass.c_str(), sizeof(store.AffectedSOPClassUID));
    OFStandard::strlcpy(store.AffectedSOPInstanceUID, sopInstance.c_str(), sizeof(store.AffectedSOPInstanceUID));
    store.Priority = priority;
    store.DataSetType = DIMSE_DATASET_PRESENT;
    OFCondition condition = sendDIMSEMessage(id, &request, &dataset);
    if (condition.bad()) return condition;
    T_DIMSE_Message response{};
    DcmDataset *detail = nullptr;
    T_ASC_PresentationContextID answeredOn = id;
    condition = receiveAnswer(answeredOn, response, detail);
    delete detail;
    if (condition.bad()) return condition;
    // Anything but the answer to this request leaves the association in an unknown state.
    if (response.CommandField != DIMSE_C_STORE_RSP || response.msg.CStoreRSP.MessageIDBeingRespondedTo != store.MessageID)
        return DIMSE_BADCOMMANDTYPE;
    status = response.msg.CStoreRSP.DimseStatus;
    return EC_Normal;
}

OFCondition shim::LowLatencySCU::receiveAnswer(T_ASC_PresentationContextID &answeredOn, T_DIMSE_Message &response,
                                               DcmDataset *&detail) {
    const Uint32 patience = getDIMSETimeout();
    if (socket_ < 0 || patience <= 1) return receiveDIMSECommand(&answeredOn, &response, &detail);
    // One-second waits; each one the link still carried our bytes puts the deadline off.
    setDIMSETimeout(1);
    auto quietSince = std::chrono::steady_clock::now();
    OFCondition condition;
    while (true) {
        condition = receiveDIMSECommand(&answeredOn, &response, &detail);
        if (condition != DIMSE_NODATAAVAILABLE) break;
        int unacknowledged = 0;
        if (ioctl(socket_, SIOCOUTQ, &unacknowledged) == 0 && unacknowledged > 0) {
            quietSince = std::chrono::steady_clock::now();
            continue;
        }
        if (std::chrono::steady_clock::now() - quietSince >= std::chrono::seconds(patience)) break;
    }
    setDIMSETimeout(patience);
    return condition;
}

extern "C" int dsh_store(dsh_association *association, dsh_object *object, int priority, uint16_t *status,
                         char **sent_syntax, dsh_error *error) {
    return guarded(error, [&]() -> int {
        shim::LowLatencySCU &scu = association->scu;
        DcmDataset *dataset = object->file.getDataset();
        OFString sopClass, sopInstance;
        if (dataset->findAndGetOFString(DCM_SOPClassUID, sopClass).bad() || sopClass.empty())
            return fail(error, "no SOP Class UID");
        if (dataset->findAndGetOFString(DCM_SOPInstanceUID, sopInstance).bad() || sopInstance.empty())
            return fail(error, "no SOP Instance UID");
        if (priority != DSH_PRIORITY_MEDIUM && priority != DSH_PRIORITY_HIGH && priority != DSH_PRIORITY_LOW)
            return fail(error, "unknown C-STORE priority " + std::to_string(priority));
        E_TransferSyntax current = dataset->getCurrentXfer();
        if (current == EXS_Unknown) current = dataset->getOriginalXfer();
        T_ASC_PresentationContextID id = scu.findPresentationContextID(sopClass, DcmXfer(current).getXferID());
        if (id == 0) id = scu.findAnyPresentationContextID(sopClass, DcmXfer(current).getXferID());
        if (id == 0) {
            const char *name = dcmFindNameOfUID(sopClass.c_str(), sopClass.c_str());
            // Not a broken association: the caller reports this file and goes on.
            *status = 0xFFFF;
            *sent_syntax = nullptr;
            fail(error, std::string("no presentation context accepted for SOP class ") + name, DSH_KIND_NOT_ACCEPTED);
            return DSH_NOT_FOUND;
        }
        OFString abstractSyntax, transferSyntax;
        scu.describeContext(id, abstractSyntax, transferSyntax);
        // Decompressed on the way when the peer accepted only an uncompressed syntax for this class.
        const E_TransferSyntax wire = DcmXfer(transferSyntax.c_str()).getXfer();
        if (wire != current) {
            dataset->chooseRepresentation(wire, nullptr);
            if (!dataset->canWriteXfer(wire, current)) {
                *status = 0xFFFF;
                *sent_syntax = nullptr;
                fail(error, std::string("cannot convert from ") + DcmXfer(current).getXferName() + " to " +
                                DcmXfer(wire).getXferName() + ", the only syntax the peer accepted");
                return DSH_NOT_FOUND;
            }
        }
        Uint16 response = 0;
        OFCondition condition =
            scu.store(id, *dataset, sopClass, sopInstance, static_cast<T_DIMSE_Priority>(priority), response);
        if (condition.bad()) return fail(error, condition, "C-STORE");
        *status = response;
        *sent_syntax = shim::copyString(transferSyntax.c_str());
        return DSH_OK;
    });
}

extern "C" int dsh_echo_on_association(dsh_association *association, double *milliseconds, dsh_error *error) {
    return guarded(error, [&]() -> int {
        shim::LowLatencySCU &scu = association->scu;
        if (scu.findAnyPresentationContextID(UID_VerificationSOPClass, UID_LittleEndianImplicitTransferSyntax) == 0) {
            fail(error, "the peer accepted no Verification context", DSH_KIND_NOT_ACCEPTED);
            return DSH_NOT_FOUND;
        }
        const auto start = std::chrono::steady_clock::now();
        OFCondition condition = scu.sendECHORequest(0);
        const auto end = std::chrono::steady_clock::now();
        if (condition.bad()) return fail(error, condition, "C-ECHO");
        *milliseconds = std::chrono::duration<double, std::milli>(end - start).count();
        return DSH_OK;
    });
}

extern "C" int dsh_commit_request(dsh_association *association, const char *transaction_uid, const char *const *classes,
                                  const char *const *instances, size_t count, uint16_t *status, dsh_error *error) {
    return guarded(error, [&]() -> int {
        shim::LowLatencySCU &scu = association->scu;
        const T_ASC_PresentationContextID id = scu.findAnyPresentationContextID(shim::commitmentClass, UID_LittleEndianExplicitTransferSyntax);
        if (id == 0) {
            fail(error, "the peer accepted no Storage Commitment context", DSH_KIND_NOT_ACCEPTED);
            return DSH_NOT_FOUND;
        }
        std::vector<std::pair<std::string, std::string>> references;
        for (size_t index = 0; index < count; ++index) references.emplace_back(classes[index], instances[index]);
        DcmDataset request;
        shim::commitmentRequest(request, transaction_uid, references);
        Uint16 response = 0;
        OFCondition condition = scu.sendACTIONRequest(id, shim::commitmentInstance, 1, &request, response);
        if (condition.bad()) return fail(error, condition, "N-ACTION");
        *status = response;
        return DSH_OK;
    });
}

extern "C" int dsh_commit_wait(dsh_association *association, int seconds, char **report, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmDataset *dataset = nullptr;
        Uint16 eventType = 0;
        OFCondition condition = association->scu.handleEVENTREPORTRequest(dataset, eventType, seconds);
        std::unique_ptr<DcmDataset> owned(dataset);
        if (condition == DIMSE_NODATAAVAILABLE) return DSH_NOT_FOUND;
        if (condition.bad()) return fail(error, condition, "N-EVENT-REPORT");
        if (owned == nullptr) return fail(error, "an N-EVENT-REPORT without a report");
        *report = shim::copyString(shim::commitmentReportText(*owned));
        return DSH_OK;
    });
}

extern "C" void dsh_close_association(dsh_association *association, int abort) {
    if (association == nullptr) return;
    try {
        if (association->scu.isConnected()) {
            if (abort != 0) association->scu.abortAssociation();
            else association->scu.releaseAssociation();
        }
    } catch (...) {
    }
    try {
        delete association;
    } catch (...) {
    }
}
