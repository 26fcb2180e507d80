// DICOM networking through dcmnet's DcmSCU.
#include "shim_internal.h"
#include "shim_transport.h"

#include "dcmtk/dcmnet/scu.h"

#include <chrono>
#include <memory>

using shim::fail;
using shim::guarded;

extern "C" int dsh_echo(const char *calling_aet, const char *called_aet, const char *host, uint16_t port,
                        const dsh_timeouts *timeouts, const dsh_tls *tls, double *milliseconds, char **error) {
    return guarded(error, [&]() -> int {
        shim::LowLatencyTransportLayer transport;  // both outlive the SCU that uses them
        std::unique_ptr<shim::LowLatencyTLSLayer> secure;
        shim::LowLatencySCU scu;
        shim::configureSCU(scu, calling_aet, called_aet, host, port, *timeouts);
        OFList<OFString> syntaxes;
        syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
        syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
        OFCondition condition = scu.addPresentationContext(UID_VerificationSOPClass, syntaxes);
        if (condition.good()) condition = scu.initNetwork();
        if (condition.bad()) return fail(error, condition, "network setup");
        if (tls != nullptr) {
            secure.reset(new shim::LowLatencyTLSLayer());
            const std::string problem = shim::configureClientTLS(*secure, *tls, host);
            if (!problem.empty()) return fail(error, problem);
            condition = scu.useTransport(secure.get());
        } else {
            condition = scu.useTransport(&transport);
        }
        if (condition.bad()) return fail(error, condition, "network setup");
        condition = scu.negotiateAssociation();
        if (condition.bad() && tls != nullptr && condition.code() == DULC_TLSERROR)
            return fail(error, std::string("TLS handshake failed: ") + condition.text());
        if (condition == DUL_ASSOCIATIONREJECTED && tls == nullptr) {
            const std::string reason = shim::describeRejection(calling_aet, called_aet, host, port, timeouts->association_seconds);
            if (!reason.empty()) return fail(error, "association rejected: " + reason);
        }
        if (condition.bad()) return fail(error, shim::associationFailure(condition, *timeouts));
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
