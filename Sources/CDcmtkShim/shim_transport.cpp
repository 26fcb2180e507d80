#include "shim_transport.h"

#include <netinet/in.h>
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
    return new LowLatencyConnection(openSocket);
}

DcmTransportConnection *LowLatencyTLSLayer::createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) {
    int on = 1;
    setsockopt(openSocket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return DcmTLSTransportLayer::createConnection(openSocket, useSecureLayer);
}

} // namespace shim
