import CDcmtkShim
import DicomCore

/// C-ECHO: is the peer there, does it accept our AE title, and how long does a round trip take.
public enum Verification {
    /// Milliseconds of the C-ECHO round trip (association set-up excluded).
    public static func echo(_ peer: PeerAddress, callingAETitle: String, timeoutSeconds: Int = 10)
        throws(DicomError) -> Double
    {
        try echo(peer, callingAETitle: callingAETitle, timeouts: NetworkTimeouts(all: timeoutSeconds))
    }

    /// Over DICOM TLS when `tls` is given, with the same checks as a C-STORE.
    public static func echo(_ peer: PeerAddress, callingAETitle: String, timeouts: NetworkTimeouts, tls: ClientTLS? = nil)
        throws(DicomError) -> Double
    {
        DicomLibrary.initialize()
        var milliseconds = 0.0
        var error: UnsafeMutablePointer<CChar>?
        var limits = timeouts.shim
        let status = ClientTLS.withShim(tls) { settings in
            dsh_echo(callingAETitle, peer.aeTitle, peer.host, peer.port, &limits, settings, &milliseconds, &error)
        }
        defer { dsh_free(error) }
        guard status == Int32(DSH_OK) else {
            throw DicomError(error.map { String(cString: $0) } ?? "C-ECHO failed")
        }
        return milliseconds
    }
}
