// swift-crypto 3 has not marked SymmetricKey Sendable; it is an immutable value.
@preconcurrency import Crypto
import Foundation

/// Keyed pseudonyms: HMAC-SHA256 under the sending hospital's secret key, so that the same original gives
/// the same pseudonym on every run and machine with the key, and nobody without it can recompute them
/// from guessable originals (patient IDs have little entropy). The key itself is never printed.
public struct Pseudonymizer: Sendable {
    private let key: SymmetricKey

    /// Keys shorter than this are refused: a short key can be guessed like a password.
    public static let minimumKeyBytes = 16

    public init(key: [UInt8]) throws(DeidentificationError) {
        guard key.count >= Self.minimumKeyBytes else {
            throw DeidentificationError("the key has \(key.count) bytes; at least \(Self.minimumKeyBytes) are needed")
        }
        self.key = SymmetricKey(data: key)
    }

    /// A one-off random key: pseudonyms that nobody can link to anything, this run included after it ends.
    public static func randomKey() -> Pseudonymizer {
        try! Pseudonymizer(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private func mac(_ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    /// The domain separates the other uses from each other and from UIDs (which never contain a NUL): a
    /// patient ID and an accession number with the same text give unrelated pseudonyms.
    private func mac(_ domain: String, _ value: String) -> [UInt8] { mac("\(domain)\u{0}\(value)") }

    /// `2.25.` followed by the decimal value of the first 128 bits of HMAC-SHA256(key, uid) (PS3.5 B.2):
    /// anyone holding the key can recompute it with standard tools.
    public func uid(for original: String) -> String {
        "2.25." + Self.decimal(of: Array(mac(original).prefix(16)))
    }

    /// A short upper-case base32 text keyed on `value` in `domain` (12 characters, 60 bits).
    public func token(_ domain: String, _ value: String, length: Int = 12) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var accumulator = 0
        var text = ""
        for byte in mac(domain, value) {
            accumulator = accumulator << 8 | Int(byte)
            bits += 8
            while bits >= 5 && text.count < length {
                bits -= 5
                text.append(alphabet[(accumulator >> bits) & 31])
            }
            accumulator &= (1 << bits) - 1
            if text.count == length { break }
        }
        return text
    }

    /// Days to move every date of one patient back: 365 to 3,650, keyed on the patient, so intervals between
    /// a patient's studies survive across runs while the calendar dates do not.
    public func dateShiftDays(forPatient patient: String) -> Int {
        let bytes = mac("date-shift", patient)
        let value = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        return 365 + value % 3286
    }

    /// Big-endian bytes as a decimal number, by repeated division by ten.
    static func decimal(of bytes: [UInt8]) -> String {
        var number = bytes
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in number.indices {
                let current = remainder << 8 | Int(number[index])
                number[index] = UInt8(current / 10)
                remainder = current % 10
            }
            digits.append(UInt8(remainder))
        }
        return digits.isEmpty ? "0" : String(digits.reversed().map { Character(String($0)) })
    }
}

public struct DeidentificationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
