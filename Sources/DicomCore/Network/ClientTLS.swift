import CDcmtkShim

/// PEM files for DICOM TLS on the sending side (C-STORE and C-ECHO). The peer's certificate is verified
/// against the CA and must name the host connected to (or `peerName`), unless verification is switched off.
public struct ClientTLS: Sendable {
    public var caFile: String?
    public var certificateFile: String?
    public var privateKeyFile: String?
    public var verifyPeer = true
    /// The DNS name or IP address the peer's certificate must carry when it differs from the host connected to.
    public var peerName: String?

    public init(
        caFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil, verifyPeer: Bool = true,
        peerName: String? = nil
    ) {
        (self.caFile, self.certificateFile, self.privateKeyFile) = (caFile, certificateFile, privateKeyFile)
        (self.verifyPeer, self.peerName) = (verifyPeer, peerName)
    }

    /// The settings as the shim takes them (nil for plain TCP), alive for the call.
    static func withShim<R>(_ tls: ClientTLS?, _ body: (UnsafePointer<dsh_tls>?) -> R) -> R {
        guard let tls else { return body(nil) }
        return withOptionalCString(tls.caFile) { ca in
            withOptionalCString(tls.certificateFile) { certificate in
                withOptionalCString(tls.privateKeyFile) { key in
                    withOptionalCString(tls.peerName) { name in
                        var settings = dsh_tls(ca_file: ca, certificate_file: certificate, private_key_file: key,
                                               verify_peer: tls.verifyPeer ? 1 : 0, peer_name: name)
                        return withUnsafePointer(to: &settings) { body($0) }
                    }
                }
            }
        }
    }
}
