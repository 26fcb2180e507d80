import CDcmtkShim

/// One C-STORE association (DCMTK's DcmSCU with TCP_NODELAY and TLS when asked), for one thread at a time.
/// The networking module decides what to send where and when to retry; this is the door to DCMTK.
package final class StoreAssociation {
    /// How the peer answered one C-STORE.
    package enum Response {
        /// The peer answered; `syntax` is the transfer syntax the object travelled in.
        case answered(DimseStatus, syntax: TransferSyntax)
        /// Not sent: no accepted presentation context fits the object (kind `.notAccepted`), or it cannot be
        /// converted to the one accepted; the association is still usable.
        case notSent(DicomError)
        /// The association broke (timeout, connection lost): abort it.
        case broken(DicomError)
    }

    /// DICOM's C-STORE priorities (PS3.7 C.4.1.1).
    package enum Priority {
        case medium, high, low

        var shim: Int32 {
            switch self {
            case .medium: Int32(DSH_PRIORITY_MEDIUM)
            case .high: Int32(DSH_PRIORITY_HIGH)
            case .low: Int32(DSH_PRIORITY_LOW)
            }
        }
    }

    private let handle: OpaquePointer

    /// Negotiates the association. `contexts`: "abstract-syntax-uid|ts-uid,ts-uid,..." (1 to 128).
    package init(
        callingAETitle: String, calledAETitle: String, host: String, port: UInt16, timeouts: NetworkTimeouts,
        maxPDU: UInt32, contexts: [String], tls: ClientTLS?
    ) throws(DicomError) {
        DicomLibrary.initialize()
        var association: OpaquePointer?
        var limits = timeouts.shim
        try Shim.call("association failed") { error in
            withCStrings(contexts) { pointers in
                ClientTLS.withShim(tls) { settings in
                    dsh_associate(callingAETitle, calledAETitle, host, port, &limits, maxPDU, pointers, contexts.count, settings,
                                  &association, &error)
                }
            }
        }
        handle = association!
    }

    package func store(_ object: DicomObject, priority: Priority = .medium) -> Response {
        var status: UInt16 = 0
        var syntax: UnsafeMutablePointer<CChar>?
        var error = dsh_error()
        let result = dsh_store(handle, object.handle, priority.shim, &status, &syntax, &error)
        defer {
            dsh_free(syntax)
            dsh_error_clear(&error)
        }
        switch result {
        case Int32(DSH_OK):
            return .answered(DimseStatus(status), syntax: TransferSyntax(uid: syntax.map { String(cString: $0) } ?? object.transferSyntax.uid))
        case Int32(DSH_NOT_FOUND):
            return .notSent(DicomError(shim: error, fallback: "no presentation context accepted"))
        default:
            return .broken(DicomError(shim: error, fallback: "C-STORE failed"))
        }
    }

    /// The presentation context that lets `echo()` measure a round trip on a store association.
    package static let verificationContext = "1.2.840.10008.1.1|1.2.840.10008.1.2"

    /// Seconds of a C-ECHO round trip on this association; nil when the peer accepted no Verification
    /// context; throws when the association broke.
    package func echo() throws(DicomError) -> Double? {
        var milliseconds = 0.0
        var error = dsh_error()
        defer { dsh_error_clear(&error) }
        switch dsh_echo_on_association(handle, &milliseconds, &error) {
        case Int32(DSH_OK): return milliseconds / 1000
        case Int32(DSH_NOT_FOUND): return nil
        default: throw DicomError(shim: error, fallback: "C-ECHO failed")
        }
    }

    /// The context that lets an association ask for Storage Commitment.
    package static let commitmentContext = "1.2.840.10008.1.20.1|1.2.840.10008.1.2.1,1.2.840.10008.1.2"

    /// Asks the peer to commit these instances (SOP Class UID, SOP Instance UID) under `transactionUID`
    /// (N-ACTION); the peer's status. Throws `.notAccepted` when the peer took no Storage Commitment context.
    package func requestCommitment(transactionUID: String, of instances: [(sopClass: String, sopInstance: String)])
        throws(DicomError) -> DimseStatus
    {
        var status: UInt16 = 0
        try Shim.call("storage commitment request failed") { error in
            withCStrings(instances.map(\.sopClass)) { classes in
                withCStrings(instances.map(\.sopInstance)) { uids in
                    dsh_commit_request(handle, transactionUID, classes, uids, instances.count, &status, &error)
                }
            }
        }
        return DimseStatus(status)
    }

    /// Waits up to `seconds` for a Storage Commitment report on this association (answered Success); nil
    /// when none came in time.
    package func waitForCommitmentReport(seconds: Int) throws(DicomError) -> CommitmentReport? {
        var text: UnsafeMutablePointer<CChar>?
        var error = dsh_error()
        defer {
            dsh_free(text)
            dsh_error_clear(&error)
        }
        switch dsh_commit_wait(handle, Int32(seconds), &text, &error) {
        case Int32(DSH_OK): return text.flatMap { CommitmentReport(text: String(cString: $0)) }
        case Int32(DSH_NOT_FOUND): return nil
        default: throw DicomError(shim: error, fallback: "waiting for the storage commitment report failed")
        }
    }

    /// Releases the association, or aborts it (after a failure).
    package func close(abort: Bool) {
        dsh_close_association(handle, abort ? 1 : 0)
    }
}
