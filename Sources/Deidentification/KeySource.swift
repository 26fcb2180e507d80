import Foundation

/// Where the secret key comes from: a key file, or the DCM_ANON_KEY environment variable. The key's bytes
/// are never printed, logged or echoed, not even in errors.
public enum KeySource {
    public static let environmentVariable = "DCM_ANON_KEY"

    /// The pseudonymizer for the key file, else the environment variable; nil when neither is given.
    /// A key file that group or others can read is refused unless `allowReadable` (then `warning` says so).
    public static func pseudonymizer(
        keyFile: String?, environment: [String: String], allowReadable: Bool = false, warning: (String) -> Void
    ) throws(DeidentificationError) -> Pseudonymizer? {
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw DeidentificationError("\(keyFile): cannot read the key file")
            }
            if let mode = (try? FileManager.default.attributesOfItem(atPath: keyFile))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                let problem = "\(keyFile): the key file can be read by others (mode \(String(mode, radix: 8)))"
                guard allowReadable else { throw DeidentificationError(problem + ": refused; chmod 600 it (or --allow-readable-key)") }
                warning(problem + "; chmod 600 it")
            }
            return try Pseudonymizer(key: trimmed(Array(data), source: keyFile))
        }
        if let value = environment[environmentVariable] {
            return try Pseudonymizer(key: trimmed(Array(value.utf8), source: environmentVariable))
        }
        return nil
    }

    /// A key file written by `openssl rand -hex 32 > key` ends with a newline that is not part of the key.
    private static func trimmed(_ bytes: [UInt8], source: String) throws(DeidentificationError) -> [UInt8] {
        var key = bytes
        while let last = key.last, last == 0x0A || last == 0x0D { key.removeLast() }
        guard key.count >= Pseudonymizer.minimumKeyBytes else {
            throw DeidentificationError(
                "\(source): the key has \(key.count) bytes; at least \(Pseudonymizer.minimumKeyBytes) are needed (openssl rand -hex 32)")
        }
        return key
    }
}
