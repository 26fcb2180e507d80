import DicomCore
import Foundation

/// A private key file must be readable by its owner only, as dcm-anon's key must be.
public enum PrivateKeyFile {
    public static func checkOwnerOnly(_ path: String) throws(DicomError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw DicomError("\(path): cannot read the private key: \(String(cString: strerror(errno)))") }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            throw DicomError("\(path): the private key can be read by others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
    }
}
