import CDcmtkShim

/// C-ECHO through DCMTK: the networking module's verification goes through here.
package enum Echo {
    /// Milliseconds of the C-ECHO round trip (association set-up excluded).
    package static func roundTrip(
        callingAETitle: String, calledAETitle: String, host: String, port: UInt16, timeouts: NetworkTimeouts, tls: ClientTLS?
    ) throws(DicomError) -> Double {
        DicomLibrary.initialize()
        var milliseconds = 0.0
        var limits = timeouts.shim
        try Shim.call("C-ECHO failed") { error in
            ClientTLS.withShim(tls) { settings in
                dsh_echo(callingAETitle, calledAETitle, host, port, &limits, settings, &milliseconds, &error)
            }
        }
        return milliseconds
    }
}
