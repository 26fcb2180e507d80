#include "shim_transport.h"
#include "shim_internal.h"

#include "dcmtk/dcmnet/assoc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace shim {

LowLatencyConnection::LowLatencyConnection(DcmNativeSocketType socket) : DcmTCPConnection(socket), socket_(socket) {
    int on = 1;
    setsockopt(socket_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    armQuickAck();
}

void LowLatencyConnection::armQuickAck() {
#ifdef TCP_QUICKACK
    int on = 1;
    setsockopt(socket_, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#endif
}

ssize_t LowLatencyConnection::read(void *buffer, size_t count) {
    ssize_t result = DcmTCPConnection::read(buffer, count);
    armQuickAck();
    return result;
}

DcmTransportConnection *LowLatencyTransportLayer::createConnection(DcmNativeSocketType openSocket, OFBool) {
    lastSocket = openSocket;
    return new LowLatencyConnection(openSocket);
}

void configureSCU(DcmSCU &scu, const char *callingAET, const char *calledAET, const char *host, uint16_t port,
                  const dsh_timeouts &timeouts) {
    scu.setAETitle(callingAET);
    scu.setPeerAETitle(calledAET);
    scu.setPeerHostName(host);
    scu.setPeerPort(port);
    scu.setConnectionTimeout(timeouts.connect_seconds);
    scu.setACSETimeout(static_cast<Uint32>(timeouts.association_seconds));
    scu.setDIMSETimeout(static_cast<Uint32>(timeouts.response_seconds));
    scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
}

namespace {

struct Rejection {
    std::string reason;  // "Rejected Permanent; Service User; Called AE Title Not Recognized"; empty: unknown
    bool permanent = false;
};

// Why a peer rejected an association: DcmSCU keeps the reject parameters to itself, so one bare association
// request asks again. Empty when the second attempt is not rejected.
Rejection describeRejection(const char *callingAET, const char *calledAET, const char *host, uint16_t port,
                            int timeoutSeconds) {
    T_ASC_Network *network = nullptr;
    if (ASC_initializeNetwork(NET_REQUESTOR, 0, timeoutSeconds, &network).bad()) return {};
    T_ASC_Parameters *parameters = nullptr;
    Rejection rejection;
    if (ASC_createAssociationParameters(&parameters, ASC_DEFAULTMAXPDU).good()) {
        const std::string address = std::string(host) + ":" + std::to_string(port);
        ASC_setAPTitles(parameters, callingAET, calledAET, nullptr);
        ASC_setPresentationAddresses(parameters, "localhost", address.c_str());
        const char *syntaxes[] = {UID_LittleEndianImplicitTransferSyntax};
        ASC_addPresentationContext(parameters, 1, UID_VerificationSOPClass, syntaxes, 1);
        T_ASC_Association *association = nullptr;
        OFCondition condition = ASC_requestAssociation(network, parameters, &association, nullptr, nullptr, DUL_BLOCK, timeoutSeconds);
        if (condition == DUL_ASSOCIATIONREJECTED) {
            T_ASC_RejectParameters parametersOfRejection;
            ASC_getRejectParameters(parameters, &parametersOfRejection);
            rejection.permanent = parametersOfRejection.result == ASC_RESULT_REJECTEDPERMANENT;
            OFString text;
            ASC_printRejectParameters(text, &parametersOfRejection);
            for (const char c : std::string(text.c_str())) rejection.reason += c == '\n' ? "; " : std::string(1, c);
        } else if (condition.good()) {
            ASC_releaseAssociation(association);
        }
        if (association != nullptr) {
            ASC_destroyAssociation(&association);  // frees the parameters too
        } else {
            ASC_destroyAssociationParameters(&parameters);
        }
    }
    ASC_dropNetwork(&network);
    return rejection;
}

} // namespace

int openAssociation(LowLatencySCU &scu, LowLatencyTransportLayer &transport, std::unique_ptr<LowLatencyTLSLayer> &secure,
                    const char *callingAET, const char *calledAET, const char *host, uint16_t port,
                    const dsh_timeouts &timeouts, const dsh_tls *tls, dsh_error *error) {
    OFCondition condition = scu.initNetwork();
    if (condition.bad()) return fail(error, condition, "network setup");
    if (tls != nullptr) {
        secure.reset(new LowLatencyTLSLayer());
        const std::string problem = configureClientTLS(*secure, *tls, host);
        if (!problem.empty()) return fail(error, problem, DSH_KIND_TLS);
        condition = scu.useTransport(secure.get());
    } else {
        condition = scu.useTransport(&transport);
    }
    if (condition.bad()) return fail(error, condition, "network setup");
    condition = scu.negotiateAssociation();
    if (condition.good()) return DSH_OK;
    // DCMTK reports a failed handshake as a secure transport error: name it for what it is.
    const std::string text = condition.text();
    if (tls != nullptr && (kindOf(condition) == DSH_KIND_TLS || text.find("TLS") != std::string::npos ||
                           text.find("ecure") != std::string::npos || text.find("SSL") != std::string::npos))
        return fail(error, condition, "TLS handshake failed", DSH_KIND_TLS);
    if (condition == DUL_ASSOCIATIONREJECTED && tls == nullptr) {
        const Rejection rejection = describeRejection(callingAET, calledAET, host, port, timeouts.association_seconds);
        if (!rejection.reason.empty())
            return fail(error, "association rejected: " + rejection.reason,
                        rejection.permanent ? DSH_KIND_REJECTED_PERMANENT : DSH_KIND_REJECTED_TRANSIENT, condition);
    }
    if (condition == DUL_READTIMEOUT)
        return fail(error, "association: no answer within " + std::to_string(timeouts.association_seconds) +
                               " s (association timeout)", DSH_KIND_TIMEOUT, condition);
    return fail(error, condition, "association");
}

DcmTransportConnection *LowLatencyTLSLayer::createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) {
    int on = 1;
    setsockopt(openSocket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    lastSocket = openSocket;
    return DcmTLSTransportLayer::createConnection(openSocket, useSecureLayer);
}

std::string configureClientTLS(LowLatencyTLSLayer &layer, const dsh_tls &tls, const char *host) {
    OFCondition condition = layer.setTLSProfile(TSP_Profile_BCP195_ND);
    if (condition.good()) condition = layer.activateCipherSuites();
    if (condition.good() && tls.ca_file != nullptr) condition = layer.addTrustedCertificateFile(tls.ca_file, DCF_Filetype_PEM);
    if (condition.bad()) return std::string("TLS setup: ") + condition.text();
    if (tls.certificate_file != nullptr && tls.private_key_file != nullptr) {
        if (layer.setPrivateKeyFile(tls.private_key_file, DCF_Filetype_PEM).bad())
            return std::string("TLS setup: cannot read the private key ") + tls.private_key_file;
        if (layer.setCertificateFile(tls.certificate_file, DCF_Filetype_PEM).bad())
            return std::string("TLS setup: cannot read the certificate ") + tls.certificate_file;
        if (!layer.checkPrivateKeyMatchesCertificate()) return "TLS setup: the private key does not match the certificate";
    }
    if (tls.verify_peer == 0) {
        layer.setCertificateVerification(DCV_ignoreCertificate);
        return "";
    }
    layer.setCertificateVerification(DCV_requireCertificate);
    // OpenSSL checks the name during the handshake: an IP address against the certificate's IP entries,
    // a name against its DNS entries (no partial wildcards).
    const std::string name = tls.peer_name != nullptr ? tls.peer_name : host;
    X509_VERIFY_PARAM *parameters = SSL_CTX_get0_param(layer.getNativeHandle());
    unsigned char address[16];
    const bool numeric = inet_pton(AF_INET, name.c_str(), address) == 1 || inet_pton(AF_INET6, name.c_str(), address) == 1;
    X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int set = numeric ? X509_VERIFY_PARAM_set1_ip_asc(parameters, name.c_str())
                            : X509_VERIFY_PARAM_set1_host(parameters, name.c_str(), name.size());
    if (set != 1) return "TLS setup: cannot check the peer's certificate against '" + name + "'";
    return "";
}

} // namespace shim
