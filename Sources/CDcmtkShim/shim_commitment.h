// DICOM Storage Commitment (Push Model, PS3.4 Annex J): the datasets both sides exchange, the provider's
// checks, and the digests the receiver keeps of what it stored so that a check can tell an altered file.
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include <string>
#include <utility>
#include <vector>

namespace shim {

constexpr const char *commitmentClass = UID_StorageCommitmentPushModelSOPClass;
constexpr const char *commitmentInstance = UID_StorageCommitmentPushModelSOPInstance;

// The N-ACTION dataset asking to commit these (class, instance) pairs under the transaction.
void commitmentRequest(DcmDataset &request, const std::string &transactionUID,
                       const std::vector<std::pair<std::string, std::string>> &references);

// An N-EVENT-REPORT's dataset as text: "transaction\t<uid>\n", then per instance "committed\t<class>\t<instance>\n"
// or "failed\t<class>\t<instance>\t<reason, 4 hex digits>\n". Items without UIDs are skipped.
std::string commitmentReportText(DcmDataset &report);

// The provider's answer to a request: each referenced instance must be in the folder as <instance>.dcm, of
// the referenced class, with the digest recorded when it arrived. Fills the N-EVENT-REPORT dataset; the
// event type is 1 when all are committed, 2 otherwise. False when the request has no Transaction UID.
bool checkCommitment(const std::string &folder, int folderDescriptor, DcmDataset &request, DcmDataset &report,
                     Uint16 &eventType);

// Where the receiver keeps the digests: a hidden folder under the output folder (created when missing).
constexpr const char *digestFolder = ".digests";
// Records the SHA-256 (hex) of a stored object next to it; a failure only costs its commitment later.
void recordDigest(int folderDescriptor, const std::string &instance, const std::string &hexDigest);
// SHA-256 of a whole file, hex; empty when it cannot be read.
std::string fileDigest(int descriptor);
// Sends a report on an association of our own to the sender's report listener (we play the SCP role of the
// Storage Commitment class, as proposed in the negotiation). An error text, empty on success.
std::string sendCommitmentReport(const std::string &callingAET, const std::string &calledAET, const std::string &host,
                                 uint16_t port, DcmDataset &report, Uint16 eventType, int timeoutSeconds);

// Whether the stored <instance>.dcm differs from the digest recorded when it arrived (altered on disk since):
// such a copy is no longer what the sender sent, and a fresh copy may replace it.
bool storedCopyAltered(int folderDescriptor, const std::string &instance);

} // namespace shim
