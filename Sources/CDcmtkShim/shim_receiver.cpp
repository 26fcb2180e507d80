// The embedded storage SCP: our own listening socket and accept loop, one thread per connection, DCMTK's
// association and DIMSE layers on each, objects streamed to disk.
#include "shim_adoption.h"
#include "shim_commitment.h"
#include "shim_incoming.h"
#include "shim_internal.h"
#include "shim_transport.h"

#include "dcmtk/dcmnet/dimse.h"
#include "dcmtk/dcmnet/dul.h"

#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <poll.h>
#include <set>
#include <sys/mman.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using shim::fail;
using shim::guarded;

namespace {

// Connections over the limits are rejected by at most this many threads at once; past them, closed at once.
constexpr int maxRejectingThreads = 4;
// A Storage Commitment request or report larger than this is refused (about 100,000 instances).
constexpr uint64_t commitmentDatasetLimit = 16 << 20;

struct AllowEntry {
    std::string aeTitle;
    std::set<std::string> addresses;  // empty: from anywhere
};

std::string trimmed(const char *text) {
    std::string value(text);
    const size_t first = value.find_first_not_of(' ');
    const size_t last = value.find_last_not_of(' ');
    return first == std::string::npos ? "" : value.substr(first, last - first + 1);
}

// The numeric address of a peer; IPv4-mapped IPv6 addresses as plain IPv4.
std::string numericHost(const sockaddr_storage &address, socklen_t length) {
    char host[NI_MAXHOST] = "";
    getnameinfo(reinterpret_cast<const sockaddr *>(&address), length, host, sizeof host, nullptr, 0, NI_NUMERICHOST);
    std::string text(host);
    return text.rfind("::ffff:", 0) == 0 && text.find('.') != std::string::npos ? text.substr(7) : text;
}

void setReceiveTimeout(int socket, int seconds) {
    timeval limit{seconds, 0};
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
}

// Every numeric address a host name or address stands for.
bool resolve(const std::string &host, std::set<std::string> &addresses) {
    addrinfo hints{}, *found = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
    for (addrinfo *entry = found; entry != nullptr; entry = entry->ai_next) {
        sockaddr_storage copy{};
        std::memcpy(&copy, entry->ai_addr, entry->ai_addrlen);
        addresses.insert(numericHost(copy, entry->ai_addrlen));
    }
    freeaddrinfo(found);
    return true;
}

// Sets up the server side of DICOM TLS; an error text, empty when all is well.
std::string configureServerTLS(shim::LowLatencyTLSLayer &layer, const dsh_tls &options) {
    OFCondition condition = layer.setTLSProfile(TSP_Profile_BCP195_ND);
    if (condition.good()) condition = layer.activateCipherSuites();
    if (condition.bad()) return std::string("TLS setup: ") + condition.text();
    if (options.certificate_file == nullptr || options.private_key_file == nullptr)
        return "TLS setup: the receiver needs a certificate and its key";
    if (layer.setPrivateKeyFile(options.private_key_file, DCF_Filetype_PEM).bad())
        return std::string("TLS setup: cannot read the private key ") + options.private_key_file;
    if (layer.setCertificateFile(options.certificate_file, DCF_Filetype_PEM).bad())
        return std::string("TLS setup: cannot read the certificate ") + options.certificate_file;
    if (!layer.checkPrivateKeyMatchesCertificate()) return "TLS setup: the private key does not match the certificate";
    if (options.ca_file != nullptr) {
        if (layer.addTrustedCertificateFile(options.ca_file, DCF_Filetype_PEM).bad())
            return std::string("TLS setup: cannot read the CA certificates ") + options.ca_file;
        layer.setCertificateVerification(DCV_requireCertificate);
    } else {
        layer.setCertificateVerification(DCV_ignoreCertificate);
    }
    return "";
}

const char *acceptedSyntaxes[] = {
    UID_JPEGLSLosslessTransferSyntax,     UID_JPEGLSLossyTransferSyntax,
    UID_JPEGProcess14SV1TransferSyntax,   UID_JPEGProcess14TransferSyntax,
    UID_RLELosslessTransferSyntax,        UID_JPEG2000LosslessOnlyTransferSyntax,
    UID_JPEG2000TransferSyntax,           UID_JPEGProcess1TransferSyntax,
    UID_JPEGProcess2_4TransferSyntax,     UID_DeflatedExplicitVRLittleEndianTransferSyntax,
    UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
    UID_BigEndianExplicitTransferSyntax,
};
constexpr int acceptedSyntaxCount = sizeof acceptedSyntaxes / sizeof acceptedSyntaxes[0];

} // namespace

struct dsh_receiver {
    std::string aeTitle;
    std::string folder;  // empty: discard
    int folderDescriptor = -1;
    int maxAssociations = 8, maxPerHost = 8, associationSeconds = 10, idleSeconds = 300;
    long maxPDU = 131072;
    uint64_t maxObjectBytes = UINT64_MAX;
    std::vector<AllowEntry> allow;
    dsh_receiver_sink sink = nullptr;
    void *sinkContext = nullptr;
    // Takes Storage Commitment reports (N-EVENT-REPORT) and nothing to store: a sender's --commit-listen.
    bool commitmentReportsOnly = false;
    // As provider: the senders whose reports go on an association of our own (AE title to host and port).
    std::map<std::string, std::pair<std::string, uint16_t>> commitPeers;

    shim::LowLatencyTransportLayer plain;
    std::unique_ptr<shim::LowLatencyTLSLayer> tls;
    std::unique_ptr<shim::AdoptingTransportLayer> adopting;

    int listenDescriptor = -1;
    std::thread acceptor;
    std::atomic<bool> stopping{false};
    std::atomic<uint64_t> stored{0}, bytes{0}, sequence{0};

    std::mutex lock;
    std::condition_variable changed;
    int active = 0, rejecting = 0;
    std::map<std::string, int> perHost;

    ~dsh_receiver() {
        if (listenDescriptor >= 0) close(listenDescriptor);
        if (folderDescriptor >= 0) close(folderDescriptor);
    }

    void report(int kind, const std::string &message) const {
        if (sink != nullptr) sink(sinkContext, kind, message.c_str());
    }

    void acceptLoop();
    void serve(int socket, const std::string &host);
    void rejectBusy(int socket);
    bool waitForRequest(int socket, int seconds) const;
    bool admitted(T_ASC_Association *association, const std::string &host);
    void exchange(T_ASC_Association *association, const std::string &peer);
    bool store(T_ASC_Association *association, T_ASC_PresentationContextID context, T_DIMSE_C_StoreRQ &request,
               const std::string &peer);
    uint16_t receiveInto(T_ASC_Association *association, T_ASC_PresentationContextID context,
                         const T_DIMSE_C_StoreRQ &request, const std::string &peer, std::string &comment, bool &broken);
    bool commit(T_ASC_Association *association, T_ASC_PresentationContextID context, T_DIMSE_N_ActionRQ &request,
                const std::string &peer);
    std::unique_ptr<DcmDataset> receiveSmallDataset(T_ASC_Association *association, T_ASC_PresentationContextID context,
                                                    bool &broken);
    bool takeReport(T_ASC_Association *association, T_ASC_PresentationContextID context, T_DIMSE_N_EventReportRQ &request,
                    const std::string &peer);
};

namespace {
// A detached thread, or false when the system has none to give (never an exception on the accept thread).
template <typename Body> bool startThread(Body body) {
    try {
        std::thread(body).detach();
        return true;
    } catch (...) {
        return false;
    }
}
} // namespace

void dsh_receiver::acceptLoop() {
    while (!stopping.load()) {
        pollfd waiting{listenDescriptor, POLLIN, 0};
        if (poll(&waiting, 1, 200) <= 0) continue;
        sockaddr_storage from{};
        socklen_t length = sizeof from;
        const int socket = accept4(listenDescriptor, reinterpret_cast<sockaddr *>(&from), &length, SOCK_CLOEXEC);
        if (socket < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) usleep(100000);  // no spinning
            continue;
        }
        const std::string host = numericHost(from, length);
        enum { serve, reject, drop } decision;
        int fromHost = 0;
        {
            std::lock_guard<std::mutex> guard(lock);
            fromHost = perHost[host];
            if (active < maxAssociations && fromHost < maxPerHost) {
                decision = serve;
                active += 1;
                perHost[host] += 1;
            } else if (rejecting < maxRejectingThreads) {
                decision = reject;
                rejecting += 1;
            } else {
                decision = drop;
            }
            if (perHost[host] == 0) perHost.erase(host);
        }
        if (decision == serve) {
            if (!startThread([this, socket, host] { this->serve(socket, host); })) {
                std::lock_guard<std::mutex> guard(lock);
                active -= 1;
                if (--perHost[host] <= 0) perHost.erase(host);
                close(socket);
                report(DSH_EVENT_ERROR, host + ": cannot start a thread for the connection; closed");
            }
            continue;
        }
        const std::string limit = fromHost >= maxPerHost ? std::to_string(fromHost) + " connections from this address already (--max-per-host)"
                                                         : "the receiver is at --max-associations";
        report(DSH_EVENT_REFUSAL, host + ": association rejected (transient, local limit exceeded): " + limit);
        if (decision == reject && startThread([this, socket] { this->rejectBusy(socket); })) continue;
        if (decision == reject) {
            std::lock_guard<std::mutex> guard(lock);
            rejecting -= 1;
        }
        close(socket);
    }
}

bool dsh_receiver::waitForRequest(int socket, int seconds) const {
    for (int waited = 0; waited < seconds * 1000 && !stopping.load(); waited += 200) {
        pollfd waiting{socket, POLLIN, 0};
        if (poll(&waiting, 1, 200) > 0) return true;
    }
    return false;
}

void dsh_receiver::rejectBusy(int socket) {
    T_ASC_Network *network = nullptr;
    T_ASC_Association *association = nullptr;
    const int seconds = std::min(associationSeconds, 5);
    if (!waitForRequest(socket, seconds)) {
        close(socket);
    } else if (shim::receiveAdoptedAssociation(socket, *adopting, tls != nullptr, maxPDU, seconds, &network, &association).good()) {
        T_ASC_RejectParameters rejection = {ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                                            ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED};
        ASC_rejectAssociation(association, &rejection);
    }
    shim::dropAdopted(network, association);
    std::lock_guard<std::mutex> guard(lock);
    rejecting -= 1;
    changed.notify_all();
}

void dsh_receiver::serve(int socket, const std::string &host) {
    T_ASC_Network *network = nullptr;
    T_ASC_Association *association = nullptr;
    if (!waitForRequest(socket, associationSeconds)) {
        if (!stopping.load())
            report(DSH_EVENT_REFUSAL, host + ": no association request within " + std::to_string(associationSeconds) +
                                          " s (--association-timeout); connection closed");
        close(socket);
    } else {
        setReceiveTimeout(socket, associationSeconds);  // bounds a TLS handshake that stalls
        OFCondition condition =
            shim::receiveAdoptedAssociation(socket, *adopting, tls != nullptr, maxPDU, associationSeconds, &network, &association);
        if (condition.bad()) {
            const std::string text = condition.text();
            const bool handshake = tls != nullptr && (condition.code() == DULC_TLSERROR || text.rfind("TLS", 0) == 0);
            report(DSH_EVENT_REFUSAL, host + (handshake
                                                  ? ": TLS handshake failed (" + text + "); connection closed"
                                                  : ": no valid association request (" + text + "); connection closed"));
        } else if (admitted(association, host)) {
            char calling[65] = "", called[65] = "";
            ASC_getAPTitles(association->params, calling, sizeof calling, called, sizeof called, nullptr, 0);
            setReceiveTimeout(socket, idleSeconds);
            exchange(association, host + " " + trimmed(calling));
        }
    }
    shim::dropAdopted(network, association);
    std::lock_guard<std::mutex> guard(lock);
    active -= 1;
    if (--perHost[host] <= 0) perHost.erase(host);
    changed.notify_all();
}

// Checks the titles against ours and the allow-list, negotiates the contexts and answers the request.
bool dsh_receiver::admitted(T_ASC_Association *association, const std::string &host) {
    char callingText[65] = "", calledText[65] = "";
    ASC_getAPTitles(association->params, callingText, sizeof callingText, calledText, sizeof calledText, nullptr, 0);
    const std::string calling = trimmed(callingText), called = trimmed(calledText);
    T_ASC_RejectParameters rejection = {ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_NOREASON};
    std::string why;
    if (called.empty() && calling.empty()) {
        // DCMTK hands over a peer that closed before any request as an empty one: nothing to answer.
        report(DSH_EVENT_REFUSAL, host + ": connection closed before an association request");
        return false;
    }
    if (called != aeTitle) {
        rejection.reason = ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED;
        why = "called AE title '" + called + "' is not ours (" + aeTitle + ")";
    } else if (!allow.empty()) {
        bool allowed = false;
        for (const AllowEntry &entry : allow)
            if (entry.aeTitle == calling && (entry.addresses.empty() || entry.addresses.count(host) != 0)) allowed = true;
        if (!allowed) {
            rejection.reason = ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED;
            why = "calling AE title '" + calling + "' from " + host + " is not on the allow-list";
        }
    }
    if (!why.empty()) {
        report(DSH_EVENT_REFUSAL, host + " " + calling + ": association rejected (permanent): " + why);
        ASC_rejectAssociation(association, &rejection);
        return false;
    }
    const char *verification[] = {UID_VerificationSOPClass};
    OFCondition condition = ASC_acceptContextsWithPreferredTransferSyntaxes(association->params, verification, 1,
                                                                            acceptedSyntaxes, acceptedSyntaxCount);
    if (condition.good() && !commitmentReportsOnly)
        condition = ASC_acceptContextsWithPreferredTransferSyntaxes(association->params, dcmAllStorageSOPClassUIDs,
                                                                    numberOfDcmAllStorageSOPClassUIDs, acceptedSyntaxes,
                                                                    acceptedSyntaxCount);
    // Storage Commitment: as its provider when we keep what we store, or to take reports. A provider that
    // opens its own association to report proposes the SCP role for itself: granted as proposed.
    if (condition.good() && (commitmentReportsOnly || !folder.empty())) {
        for (int index = 0; index < ASC_countPresentationContexts(association->params); ++index) {
            T_ASC_PresentationContext context{};
            ASC_getPresentationContext(association->params, index, &context);
            if (std::string(context.abstractSyntax) != shim::commitmentClass) continue;
            for (int syntax = 0; syntax < context.transferSyntaxCount; ++syntax) {
                const std::string proposed = context.proposedTransferSyntaxes[syntax];
                if (proposed != UID_LittleEndianExplicitTransferSyntax && proposed != UID_LittleEndianImplicitTransferSyntax) continue;
                condition = ASC_acceptPresentationContext(association->params, context.presentationContextID, proposed.c_str(),
                                                          context.proposedRole);
                break;
            }
        }
    }
    if (condition.good()) condition = ASC_acknowledgeAssociation(association);
    if (condition.bad()) {
        report(DSH_EVENT_ERROR, host + " " + calling + ": cannot accept the association: " + condition.text());
        return false;
    }
    return true;
}

// Commands until the peer releases or aborts, falls silent for idle_seconds, or the receiver stops.
void dsh_receiver::exchange(T_ASC_Association *association, const std::string &peer) {
    int silent = 0;
    while (true) {
        if (stopping.load()) {
            ASC_abortAssociation(association);
            return;
        }
        T_DIMSE_Message message{};
        T_ASC_PresentationContextID context = 0;
        OFCondition condition = DIMSE_receiveCommand(association, DIMSE_NONBLOCKING, 1, &context, &message, nullptr);
        if (condition == DIMSE_NODATAAVAILABLE) {
            if (++silent < idleSeconds) continue;
            report(DSH_EVENT_REFUSAL, peer + ": silent for " + std::to_string(idleSeconds) + " s (--idle-timeout); association aborted");
            ASC_abortAssociation(association);
            return;
        }
        silent = 0;
        if (condition == DUL_PEERREQUESTEDRELEASE) {
            ASC_acknowledgeRelease(association);
            return;
        }
        if (condition == DUL_PEERABORTEDASSOCIATION) return;
        if (condition.bad()) {
            report(DSH_EVENT_ERROR, peer + ": " + condition.text() + "; association aborted");
            ASC_abortAssociation(association);
            return;
        }
        if (message.CommandField == DIMSE_C_ECHO_RQ) {
            condition = DIMSE_sendEchoResponse(association, context, &message.msg.CEchoRQ, STATUS_Success, nullptr);
        } else if (message.CommandField == DIMSE_C_STORE_RQ) {
            if (!store(association, context, message.msg.CStoreRQ, peer)) condition = DIMSE_RECEIVEFAILED;
        } else if (message.CommandField == DIMSE_N_ACTION_RQ && !folder.empty() && !commitmentReportsOnly) {
            if (!commit(association, context, message.msg.NActionRQ, peer)) condition = DIMSE_RECEIVEFAILED;
        } else if (message.CommandField == DIMSE_N_EVENT_REPORT_RQ && commitmentReportsOnly) {
            if (!takeReport(association, context, message.msg.NEventReportRQ, peer)) condition = DIMSE_RECEIVEFAILED;
        } else {
            report(DSH_EVENT_REFUSAL, peer + ": unsupported DIMSE command " + std::to_string(message.CommandField) +
                                          "; association aborted");
            condition = DIMSE_BADCOMMANDTYPE;
        }
        if (condition.bad()) {
            ASC_abortAssociation(association);
            return;
        }
    }
}

// Storage Commitment as its provider: the request's instances checked in the folder (file, class, the digest
// kept when each arrived), the N-ACTION answered, then the report sent on this association. False when the
// association broke.
bool dsh_receiver::commit(T_ASC_Association *association, T_ASC_PresentationContextID context, T_DIMSE_N_ActionRQ &request,
                          const std::string &peer) {
    bool broken = false;
    std::unique_ptr<DcmDataset> requestData = receiveSmallDataset(association, context, broken);
    if (broken) return false;
    T_DIMSE_N_ActionRSP answer{};
    answer.MessageIDBeingRespondedTo = request.MessageID;
    answer.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(answer.AffectedSOPClassUID, request.RequestedSOPClassUID, sizeof answer.AffectedSOPClassUID);
    OFStandard::strlcpy(answer.AffectedSOPInstanceUID, request.RequestedSOPInstanceUID, sizeof answer.AffectedSOPInstanceUID);
    answer.opts = O_NACTION_AFFECTEDSOPCLASSUID | O_NACTION_AFFECTEDSOPINSTANCEUID | O_NACTION_ACTIONTYPEID;
    answer.ActionTypeID = request.ActionTypeID;
    DcmDataset outcome;
    Uint16 eventType = 1;
    const bool understood = std::string(request.RequestedSOPClassUID) == shim::commitmentClass && request.ActionTypeID == 1 &&
                            requestData != nullptr && shim::checkCommitment(folder, folderDescriptor, *requestData, outcome, eventType);
    // Too large to read, or unreadable: resource limitation, or an invalid argument.
    answer.DimseStatus = understood ? STATUS_Success : requestData == nullptr ? STATUS_N_ResourceLimitation : STATUS_N_InvalidArgumentValue;
    T_DIMSE_Message message{};
    message.CommandField = DIMSE_N_ACTION_RSP;
    message.msg.NActionRSP = answer;
    if (DIMSE_sendMessageUsingMemoryData(association, context, &message, nullptr, nullptr, nullptr, nullptr).bad()) return false;
    if (!understood) {
        report(DSH_EVENT_REFUSAL, peer + (requestData == nullptr ? ": a Storage Commitment request larger than " +
                                                                        std::to_string(commitmentDatasetLimit >> 20) + " MiB or unreadable; refused"
                                                                  : ": a Storage Commitment request without a Transaction UID or of another action; refused"));
        return true;
    }
    const std::string calling = shim::cleanAETitle(association->params->DULparams.callingAPTitle);
    const auto elsewhere = commitPeers.find(calling);
    if (elsewhere != commitPeers.end()) {
        const std::string problem = shim::sendCommitmentReport(aeTitle, calling, elsewhere->second.first, elsewhere->second.second,
                                                               outcome, eventType, associationSeconds);
        report(problem.empty() ? DSH_EVENT_INFO : DSH_EVENT_ERROR,
               peer + ": storage commitment report on a new association to " + elsewhere->second.first + ":" +
                   std::to_string(elsewhere->second.second) + (problem.empty() ? ": sent" : ": " + problem));
        return true;
    }
    T_DIMSE_Message event{};
    event.CommandField = DIMSE_N_EVENT_REPORT_RQ;
    T_DIMSE_N_EventReportRQ &reportRequest = event.msg.NEventReportRQ;
    reportRequest.MessageID = association->nextMsgID++;
    OFStandard::strlcpy(reportRequest.AffectedSOPClassUID, shim::commitmentClass, sizeof reportRequest.AffectedSOPClassUID);
    OFStandard::strlcpy(reportRequest.AffectedSOPInstanceUID, shim::commitmentInstance, sizeof reportRequest.AffectedSOPInstanceUID);
    reportRequest.EventTypeID = eventType;
    reportRequest.DataSetType = DIMSE_DATASET_PRESENT;
    if (DIMSE_sendMessageUsingMemoryData(association, context, &event, nullptr, &outcome, nullptr, nullptr).bad()) return false;
    T_DIMSE_Message response{};
    T_ASC_PresentationContextID responseContext = context;
    const OFCondition condition = DIMSE_receiveCommand(association, DIMSE_NONBLOCKING, idleSeconds, &responseContext, &response, nullptr);
    if (condition.bad() || response.CommandField != DIMSE_N_EVENT_REPORT_RSP) return false;
    report(DSH_EVENT_INFO, peer + ": storage commitment reported (" + (eventType == 1 ? "all committed" : "some failed") + ")");
    return true;
}

// A Storage Commitment dataset (a request, a report) kept in an anonymous memory file as it arrives, up to
// commitmentDatasetLimit (the rest read and dropped), then parsed from that file (DCMTK allocates a value's
// declared length first when parsing from memory). nullptr when too large or unreadable; `broken` when the
// association broke.
std::unique_ptr<DcmDataset> dsh_receiver::receiveSmallDataset(T_ASC_Association *association, T_ASC_PresentationContextID context,
                                                              bool &broken) {
    const int memory = memfd_create("commitment", MFD_CLOEXEC);
    shim::BoundedFileConsumer consumer(memory, commitmentDatasetLimit);
    OFCondition condition;
    {
        shim::BoundedOutputStream stream(consumer);
        T_ASC_PresentationContextID dataContext = context;
        condition = DIMSE_receiveDataSetInFile(association, DIMSE_NONBLOCKING, idleSeconds, &dataContext, &stream, nullptr, nullptr);
    }
    std::unique_ptr<DcmDataset> dataset;
    if (condition.bad()) {
        broken = true;
    } else if (memory >= 0 && !consumer.overflowed() && consumer.writeError() == 0) {
        T_ASC_PresentationContext accepted{};
        ASC_findAcceptedPresentationContext(association->params, context, &accepted);
        dataset = std::make_unique<DcmDataset>();
        const std::string path = "/proc/self/fd/" + std::to_string(memory);
        if (dataset->loadFile(path.c_str(), DcmXfer(accepted.acceptedTransferSyntax).getXfer(), EGL_noChange, 4096).bad()) dataset.reset();
    }
    if (memory >= 0) close(memory);
    return dataset;
}

// A Storage Commitment report for a sender of ours (--commit-listen): passed on as text, then answered.
bool dsh_receiver::takeReport(T_ASC_Association *association, T_ASC_PresentationContextID context,
                              T_DIMSE_N_EventReportRQ &request, const std::string &peer) {
    bool broken = false;
    std::unique_ptr<DcmDataset> reportData = receiveSmallDataset(association, context, broken);
    if (broken) return false;
    const bool understood = std::string(request.AffectedSOPClassUID) == shim::commitmentClass && reportData != nullptr;
    if (understood) {
        report(DSH_EVENT_COMMITMENT, shim::commitmentReportText(*reportData));
    } else {
        report(DSH_EVENT_REFUSAL, peer + ": an N-EVENT-REPORT that is not a Storage Commitment report; refused");
    }
    T_DIMSE_N_EventReportRSP answer{};
    answer.MessageIDBeingRespondedTo = request.MessageID;
    answer.DimseStatus = understood ? STATUS_Success : STATUS_N_NoSuchSOPClass;
    answer.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(answer.AffectedSOPClassUID, request.AffectedSOPClassUID, sizeof answer.AffectedSOPClassUID);
    OFStandard::strlcpy(answer.AffectedSOPInstanceUID, request.AffectedSOPInstanceUID, sizeof answer.AffectedSOPInstanceUID);
    answer.opts = O_NEVENTREPORT_AFFECTEDSOPCLASSUID | O_NEVENTREPORT_AFFECTEDSOPINSTANCEUID | O_NEVENTREPORT_EVENTTYPEID;
    answer.EventTypeID = request.EventTypeID;
    T_DIMSE_Message message{};
    message.CommandField = DIMSE_N_EVENT_REPORT_RSP;
    message.msg.NEventReportRSP = answer;
    return DIMSE_sendMessageUsingMemoryData(association, context, &message, nullptr, nullptr, nullptr, nullptr).good();
}

// One C-STORE: the data set to disk, the checks, the answer. False when the association broke.
bool dsh_receiver::store(T_ASC_Association *association, T_ASC_PresentationContextID context,
                         T_DIMSE_C_StoreRQ &request, const std::string &peer) {
    std::string comment;
    bool broken = false;
    const uint16_t status = receiveInto(association, context, request, peer, comment, broken);
    if (broken) return false;
    if (status == STATUS_Success) {
        stored += 1;
    } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%04X", status);
        report(DSH_EVENT_REFUSAL, peer + ": object " + request.AffectedSOPInstanceUID + " refused (0x" + hex + "): " + comment);
    }
    T_DIMSE_C_StoreRSP response{};
    response.MessageIDBeingRespondedTo = request.MessageID;
    response.DimseStatus = status;
    response.DataSetType = DIMSE_DATASET_NULL;
    response.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
    OFStandard::strlcpy(response.AffectedSOPClassUID, request.AffectedSOPClassUID, sizeof response.AffectedSOPClassUID);
    OFStandard::strlcpy(response.AffectedSOPInstanceUID, request.AffectedSOPInstanceUID, sizeof response.AffectedSOPInstanceUID);
    DcmDataset detail;
    if (status != STATUS_Success) detail.putAndInsertString(DCM_ErrorComment, comment.substr(0, 64).c_str());
    return DIMSE_sendStoreResponse(association, context, &request, &response, status == STATUS_Success ? nullptr : &detail).good();
}

uint16_t dsh_receiver::receiveInto(T_ASC_Association *association, T_ASC_PresentationContextID context,
                                   const T_DIMSE_C_StoreRQ &request, const std::string &peer, std::string &comment,
                                   bool &broken) {
    T_ASC_PresentationContext accepted{};
    ASC_findAcceptedPresentationContext(association->params, context, &accepted);
    const std::string syntax = accepted.acceptedTransferSyntax;
    const std::string requestClass = request.AffectedSOPClassUID, requestInstance = request.AffectedSOPInstanceUID;
    const bool validRequest = shim::isValidUID(requestClass) && shim::isValidUID(requestInstance);

    int descriptor = -1;
    std::string temporaryName;
    if (!folder.empty() && validRequest) {
        std::string path = folder + "/.incoming-" + std::to_string(sequence.fetch_add(1)) + "-XXXXXX";
        descriptor = mkostemp(&path[0], O_CLOEXEC);
        if (descriptor >= 0) temporaryName = path.substr(folder.size() + 1);
    }
    const std::string header =
        shim::fileMetaInformation(requestClass, requestInstance, syntax, shim::cleanAETitle(association->params->DULparams.callingAPTitle),
                                  shim::cleanAETitle(association->params->DULparams.calledAPTitle));
    shim::BoundedFileConsumer consumer(descriptor, maxObjectBytes);
    consumer.write(header.data(), static_cast<offile_off_t>(header.size()));
    OFCondition condition;
    {
        shim::BoundedOutputStream stream(consumer);
        T_ASC_PresentationContextID dataContext = context;
        condition = DIMSE_receiveDataSetInFile(association, DIMSE_NONBLOCKING, idleSeconds, &dataContext, &stream, nullptr, nullptr);
    }
    auto discard = [&] {
        if (descriptor >= 0) {
            close(descriptor);
            unlinkat(folderDescriptor, temporaryName.c_str(), 0);
        }
    };
    if (condition.bad()) {
        report(DSH_EVENT_ERROR, peer + ": the association broke while an object arrived (" + condition.text() + "); nothing kept");
        discard();
        broken = true;
        return 0;
    }
    const uint64_t objectBytes = consumer.received() - header.size();
    if (!validRequest) {
        comment = "the request's SOP Class or Instance UID is not a valid UID";
        discard();
        return STATUS_N_InvalidSOPInstance;
    }
    if (consumer.overflowed()) {
        comment = "larger than the receiver's limit of " + std::to_string(maxObjectBytes) + " bytes";
        discard();
        return STATUS_STORE_Refused_OutOfResources;
    }
    if (folder.empty()) {
        bytes += objectBytes;
        // Discarded (benchmarks): announced all the same, without a path, for arrival times.
        report(DSH_EVENT_STORED, "\t\t" + peer + "\t" + requestInstance);
        return STATUS_Success;
    }
    if (descriptor < 0 || consumer.writeError() != 0) {
        comment = std::string("cannot write the object: ") + std::strerror(descriptor < 0 ? errno : consumer.writeError());
        discard();
        return STATUS_STORE_Refused_OutOfResources;
    }
    std::string objectClass, objectInstance, objectStudy;
    if (!shim::readObjectUIDs(descriptor, header.size(), syntax, objectClass, objectInstance, objectStudy, comment)) {
        discard();
        return STATUS_STORE_Error_CannotUnderstand;
    }
    if (objectClass != requestClass) {
        comment = "the object's SOP Class UID differs from the request's";
        discard();
        return STATUS_STORE_Error_DataSetDoesNotMatchSOPClass;
    }
    if (objectInstance != requestInstance) {
        comment = "the object's SOP Instance UID differs from the request's";
        discard();
        return STATUS_N_InvalidSOPInstance;
    }
    // A stored copy altered since it arrived is not defended against a fresh one (a commitment failed on it).
    if (shim::storedCopyAltered(folderDescriptor, requestInstance)) unlinkat(folderDescriptor, (requestInstance + ".dcm").c_str(), 0);
    const shim::Placement placement =
        shim::placeDurably(folderDescriptor, descriptor, temporaryName, requestInstance + ".dcm", comment);
    // What was kept, for Storage Commitment to tell an unchanged file from an altered one later.
    if (placement == shim::Placement::stored || placement == shim::Placement::identical) {
        const std::string digest = shim::fileDigest(descriptor);
        if (!digest.empty()) shim::recordDigest(folderDescriptor, requestInstance, digest);
    }
    close(descriptor);
    switch (placement) {
    case shim::Placement::stored:
        bytes += consumer.received();
        // On disk, file and folder synced: the path can be handed on before Success is answered.
        report(DSH_EVENT_STORED, folder + "/" + requestInstance + ".dcm\t" + objectStudy + "\t" + peer + "\t" + requestInstance);
        return STATUS_Success;
    case shim::Placement::identical:
        report(DSH_EVENT_INFO, peer + ": object " + requestInstance + " arrived again, identical: kept once");
        return STATUS_Success;
    case shim::Placement::conflicting:
        comment = "another object is already stored under this SOP Instance UID; the first copy is kept";
        return STATUS_N_DuplicateSOPInstance;
    case shim::Placement::failed:
        return STATUS_STORE_Refused_OutOfResources;
    }
    return STATUS_STORE_Refused_OutOfResources;
}

namespace {

// The listening socket on the address (every IPv4 interface when NULL) and port.
int listenOn(const char *address, uint16_t port, std::string &problem) {
    addrinfo hints{}, *found = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = address == nullptr ? AF_INET : AF_UNSPEC;
    const std::string service = std::to_string(port);
    const int status = getaddrinfo(address, service.c_str(), &hints, &found);
    if (status != 0) {
        problem = std::string("cannot use the bind address ") + (address ? address : "") + ": " + gai_strerror(status);
        return -1;
    }
    int descriptor = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    if (descriptor >= 0) setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (descriptor < 0 || bind(descriptor, found->ai_addr, found->ai_addrlen) != 0 || listen(descriptor, 64) != 0) {
        problem = std::strerror(errno);
        if (descriptor >= 0) close(descriptor);
        descriptor = -1;
    }
    freeaddrinfo(found);
    return descriptor;
}

} // namespace

extern "C" int dsh_receiver_start(const dsh_receiver_options *options, dsh_receiver **receiver, dsh_error *error) {
    return guarded(error, [&]() -> int {
        std::unique_ptr<dsh_receiver> result(new dsh_receiver());
        result->aeTitle = options->ae_title;
        result->maxAssociations = std::max(1, options->max_associations);
        result->maxPerHost = std::max(1, options->max_per_host);
        result->associationSeconds = std::max(1, options->association_seconds);
        result->idleSeconds = std::max(1, options->idle_seconds);
        result->maxPDU = options->max_pdu;
        result->maxObjectBytes = options->max_object_bytes;
        result->sink = options->sink;
        result->sinkContext = options->sink_context;
        result->commitmentReportsOnly = options->commitment_reports_only != 0;
        for (size_t index = 0; index < options->commit_peer_count; ++index) {
            // "AET@HOST:PORT", checked by the caller.
            const std::string entry = options->commit_peers[index];
            const size_t at = entry.find('@'), colon = entry.rfind(':');
            if (at == std::string::npos || colon == std::string::npos || colon < at) return fail(error, "malformed commit peer " + entry);
            result->commitPeers[entry.substr(0, at)] = {entry.substr(at + 1, colon - at - 1),
                                                        static_cast<uint16_t>(std::stoi(entry.substr(colon + 1)))};
        }
        for (size_t index = 0; index < options->allow_count; ++index) {
            const std::string entry = options->allow[index];
            const size_t at = entry.find('@');
            AllowEntry allowed{entry.substr(0, at), {}};
            if (at != std::string::npos && !resolve(entry.substr(at + 1), allowed.addresses))
                return fail(error, "allow-list: cannot resolve the host of " + entry);
            result->allow.push_back(allowed);
        }
        if (options->output_folder != nullptr) {
            result->folder = options->output_folder;
            result->folderDescriptor = open(options->output_folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (result->folderDescriptor < 0)
                return fail(error, std::string("cannot open ") + options->output_folder + ": " + std::strerror(errno));
        }
        if (options->tls != nullptr) {
            result->tls.reset(new shim::LowLatencyTLSLayer(NET_ACCEPTOR));
            const std::string problem = configureServerTLS(*result->tls, *options->tls);
            if (!problem.empty()) return fail(error, problem);
            result->adopting.reset(new shim::AdoptingTransportLayer(*result->tls));
        } else {
            result->adopting.reset(new shim::AdoptingTransportLayer(result->plain));
        }
        dcmDisableGethostbyaddr.set(OFTrue);  // no reverse DNS while DCMTK adopts a socket
        std::string problem;
        result->listenDescriptor = listenOn(options->bind_address, options->port, problem);
        if (result->listenDescriptor < 0) return fail(error, "cannot listen on port " + std::to_string(options->port) + ": " + problem);
        dsh_receiver *running = result.release();
        running->acceptor = std::thread([running] { running->acceptLoop(); });
        *receiver = running;
        return DSH_OK;
    });
}

extern "C" uint64_t dsh_receiver_stored(dsh_receiver *receiver) { return receiver->stored.load(); }
extern "C" uint64_t dsh_receiver_bytes(dsh_receiver *receiver) { return receiver->bytes.load(); }

extern "C" void dsh_receiver_stop(dsh_receiver *receiver, uint64_t *stored, uint64_t *bytes) {
    if (receiver == nullptr) return;
    try {
        receiver->stopping = true;
        if (receiver->acceptor.joinable()) receiver->acceptor.join();
        close(receiver->listenDescriptor);  // later connections are refused by the system, not left waiting
        receiver->listenDescriptor = -1;
        std::unique_lock<std::mutex> guard(receiver->lock);
        receiver->changed.wait(guard, [receiver] { return receiver->active == 0 && receiver->rejecting == 0; });
    } catch (...) {
    }
    if (stored != nullptr) *stored = receiver->stored.load();
    if (bytes != nullptr) *bytes = receiver->bytes.load();
    try {
        delete receiver;
    } catch (...) {
    }
}
