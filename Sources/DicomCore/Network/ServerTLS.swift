import CDcmtkShim

/// PEM files for DICOM TLS on the receiving side: our certificate and key; with a CA file, client
/// certificates are required and verified against it.
public struct ServerTLS: Sendable {
    public var certificateFile: String
    public var privateKeyFile: String
    public var caFile: String?

    public init(certificateFile: String, privateKeyFile: String, caFile: String? = nil) {
        (self.certificateFile, self.privateKeyFile, self.caFile) = (certificateFile, privateKeyFile, caFile)
    }

    /// The settings as the shim takes them (nil for plain TCP), alive for the call.
    static func withShim<R>(_ tls: ServerTLS?, _ body: (UnsafePointer<dsh_tls>?) -> R) -> R {
        guard let tls else { return body(nil) }
        return withOptionalCString(tls.caFile) { ca in
            tls.certificateFile.withCString { certificate in
                tls.privateKeyFile.withCString { key in
                    var settings = dsh_tls(ca_file: ca, certificate_file: certificate, private_key_file: key, verify_peer: 1, peer_name: nil)
                    return withUnsafePointer(to: &settings) { body($0) }
                }
            }
        }
    }
}
