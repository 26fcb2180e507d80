// Handing a socket we accepted ourselves to DCMTK's association acceptor.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dcmlayer.h"

namespace shim {

// DCMTK 3.6.7 takes an already accepted socket only through one process-wide setting
// (dcmExternalSocketHandle), read when ASC_receiveAssociation starts and passed to the transport layer's
// createConnection. The setting is held under a lock from adoption until that call, and no longer: the
// association request itself (and a TLS handshake) is read outside it, so a slow peer holds nobody up.
// The layer wraps the real one (plain or TLS), which makes the connections.
class AdoptingTransportLayer : public DcmTransportLayer {
public:
    explicit AdoptingTransportLayer(DcmTransportLayer &inner) : inner_(inner) {}
    DcmTransportConnection *createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) override;

private:
    DcmTransportLayer &inner_;
};

// Receives the association request on `socket` (already accepted) through a network of its own that uses
// `layer`. On success DCMTK owns the socket; on failure before DCMTK took it, it is closed here.
OFCondition receiveAdoptedAssociation(int socket, AdoptingTransportLayer &layer, OFBool secure, long maxPDU,
                                      int timeoutSeconds, T_ASC_Network **network, T_ASC_Association **association);

// Ends what receiveAdoptedAssociation made (either may be null): the association, its socket, the network.
void dropAdopted(T_ASC_Network *&network, T_ASC_Association *&association);

} // namespace shim
