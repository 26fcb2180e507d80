#include "shim_adoption.h"

#include "dcmtk/dcmnet/dul.h"

#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shim {

namespace {
std::mutex adoptionLock;
// Whether this thread holds adoptionLock with the setting pointing at its socket.
thread_local bool adopting = false;

void endAdoption() {
    if (!adopting) return;
    dcmExternalSocketHandle.set(DCMNET_INVALID_SOCKET);
    adopting = false;
    adoptionLock.unlock();
}
} // namespace

DcmTransportConnection *AdoptingTransportLayer::createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) {
    endAdoption();
    int on = 1;
    setsockopt(openSocket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return inner_.createConnection(openSocket, useSecureLayer);
}

OFCondition receiveAdoptedAssociation(int socket, AdoptingTransportLayer &layer, OFBool secure, long maxPDU,
                                      int timeoutSeconds, T_ASC_Network **network, T_ASC_Association **association) {
    adoptionLock.lock();
    adopting = true;
    // With the setting pointing at a socket, the acceptor network opens no listening socket of its own.
    dcmExternalSocketHandle.set(socket);
    OFCondition condition = ASC_initializeNetwork(NET_ACCEPTOR, 0, timeoutSeconds, network);
    if (condition.good()) condition = ASC_setTransportLayer(*network, &layer, 0);
    if (condition.good())
        condition = ASC_receiveAssociation(*network, association, maxPDU, nullptr, nullptr, secure, DUL_NOBLOCK,
                                           timeoutSeconds);
    const bool taken = !adopting;  // createConnection ran: DCMTK holds the socket
    endAdoption();
    if (!taken) close(socket);
    return condition;
}

void dropAdopted(T_ASC_Network *&network, T_ASC_Association *&association) {
    if (association != nullptr) {
        ASC_dropSCPAssociation(association);
        ASC_destroyAssociation(&association);
    }
    if (network != nullptr) ASC_dropNetwork(&network);
}

} // namespace shim
