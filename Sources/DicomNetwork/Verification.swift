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
        try Echo.roundTrip(callingAETitle: callingAETitle, calledAETitle: peer.aeTitle, host: peer.host, port: peer.port,
                           timeouts: timeouts, tls: tls)
    }
}
