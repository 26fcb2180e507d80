// A DCMTK transport layer whose connections disable Nagle's algorithm and delayed ACKs.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/dcmlayer.h"
#include "dcmtk/dcmnet/dcmtrans.h"
#include "dcmtk/dcmnet/scu.h"
#include "dcmtk/dcmtls/tlslayer.h"
#include "dcmtk_shim.h"

#include <atomic>
#include <memory>
#include <string>

namespace shim {

// DCMTK leaves Nagle's algorithm on: against DCMTK-based receivers every small PDU then waits for the
// peer's delayed ACK (~40 ms). TCP_QUICKACK is cleared by Linux after use, so it is re-armed after reads.
class LowLatencyConnection : public DcmTCPConnection {
public:
    explicit LowLatencyConnection(DcmNativeSocketType socket);
    ssize_t read(void *buffer, size_t count) override;

private:
    void armQuickAck();
    DcmNativeSocketType socket_;
};

// Installed with DcmSCU::useSecureConnection() after initNetwork(); it only hands out plain TCP connections.
class LowLatencyTransportLayer : public DcmTransportLayer {
public:
    DcmTransportConnection *createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) override;
    // The socket of the connection it handed out last (-1: none yet). Atomic: the receiver's threads share
    // one layer (an association's SCU reads it on its own thread, right after opening).
    std::atomic<int> lastSocket{-1};
};

// The TLS layer with TCP_NODELAY on its sockets (TLS records are small too; the same stall applies).
class LowLatencyTLSLayer : public DcmTLSTransportLayer {
public:
    explicit LowLatencyTLSLayer(T_ASC_NetworkRole role = NET_REQUESTOR) : DcmTLSTransportLayer(role, nullptr, OFTrue) {}
    DcmTransportConnection *createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) override;
    std::atomic<int> lastSocket{-1};
};

// Sets up the client side of DICOM TLS: BCP 195, our certificate when given, and unless verification is off
// the peer's certificate checked against the CA and against the name (tls.peer_name, or host). Returns an
// error text, empty when all is well.
std::string configureClientTLS(LowLatencyTLSLayer &layer, const dsh_tls &tls, const char *host);

// DcmSCU whose (protected in 3.6.7) transport-layer hook is reachable, with a C-STORE whose priority the
// caller chooses (DcmSCU::sendSTORERequest always asks MEDIUM in 3.6.7).
class LowLatencySCU : public DcmSCU {
public:
    OFCondition useTransport(DcmTransportLayer *layer) { return useSecureConnection(layer); }
    void describeContext(T_ASC_PresentationContextID id, OFString &abstractSyntax, OFString &transferSyntax) {
        findPresentationContext(id, abstractSyntax, transferSyntax);
    }
    // Sends `dataset` (already in the context's transfer syntax) on context `id` and waits for the answer.
    OFCondition store(T_ASC_PresentationContextID id, DcmDataset &dataset, const OFString &sopClass,
                      const OFString &sopInstance, T_DIMSE_Priority priority, Uint16 &status);
    // The association's socket, so that waiting for an answer can see what the link has not carried yet.
    void watchSocket(int socket) { socket_ = socket; }

private:
    // Waits for the answer to a request just sent. The DIMSE timeout is the peer's silence: it counts from
    // the moment the peer's TCP acknowledged our last byte, not from our last write, which the kernel takes
    // at once and a slow link carries for many seconds (0.5 MB takes 11 s at 384 kbit/s, 44 s on four
    // associations sharing it).
    OFCondition receiveAnswer(T_ASC_PresentationContextID &answeredOn, T_DIMSE_Message &response, DcmDataset *&detail);

    Uint16 lastMessageID_ = 0;
    int socket_ = -1;
};

// The settings every association of the toolkit uses: titles, peer, one timeout for connecting, ACSE and
// DIMSE, non-blocking DIMSE so that the timeout applies.
void configureSCU(DcmSCU &scu, const char *callingAET, const char *calledAET, const char *host, uint16_t port,
                  const dsh_timeouts &timeouts);

// The network, the transport (TLS when tls is given: `secure` receives the layer, which must outlive the SCU)
// and the association, for an SCU whose titles, peer and presentation contexts are set. On failure *error
// says why with its kind: a rejection permanent or transient as the peer said, a timeout, TLS, a connection.
int openAssociation(LowLatencySCU &scu, LowLatencyTransportLayer &transport, std::unique_ptr<LowLatencyTLSLayer> &secure,
                    const char *callingAET, const char *calledAET, const char *host, uint16_t port,
                    const dsh_timeouts &timeouts, const dsh_tls *tls, dsh_error *error);

} // namespace shim
