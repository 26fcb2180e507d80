// DICOM networking through dcmnet's DcmSCU.
#include "shim_internal.h"
#include "shim_transport.h"

#include "dcmtk/dcmnet/scu.h"

#include <chrono>
#include <memory>

using shim::fail;
using shim::guarded;

extern "C" int dsh_echo(const char *calling_aet, const char *called_aet, const char *host, uint16_t port,
                        const dsh_timeouts *timeouts, const dsh_tls *tls, double *milliseconds, dsh_error *error) {
    return guarded(error, [&]() -> int {
        shim::LowLatencyTransportLayer transport;  // both outlive the SCU that uses them
        std::unique_ptr<shim::LowLatencyTLSLayer> secure;
        shim::LowLatencySCU scu;
        shim::configureSCU(scu, calling_aet, called_aet, host, port, *timeouts);
        OFList<OFString> syntaxes;
        syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
        syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
        OFCondition condition = scu.addPresentationContext(UID_VerificationSOPClass, syntaxes);
        if (condition.bad()) return fail(error, condition, "network setup");
        if (shim::openAssociation(scu, transport, secure, calling_aet, called_aet, host, port, *timeouts, tls, error) != DSH_OK)
            return DSH_ERROR;
        const auto start = std::chrono::steady_clock::now();
        condition = scu.sendECHORequest(0);
        const auto end = std::chrono::steady_clock::now();
        if (condition.bad()) {
            scu.abortAssociation();
            return fail(error, condition, "C-ECHO");
        }
        *milliseconds = std::chrono::duration<double, std::milli>(end - start).count();
        scu.releaseAssociation();
        return DSH_OK;
    });
}
