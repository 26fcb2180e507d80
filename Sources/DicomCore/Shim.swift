import CDcmtkShim

extension DicomError {
    /// The shim's error as the core reports it; `fallback` when the shim gave no message.
    init(shim error: dsh_error, fallback: String) {
        let kinds: [Int32: Kind] = [
            Int32(DSH_KIND_OUT_OF_MEMORY): .outOfMemory, Int32(DSH_KIND_CONNECTION): .connection,
            Int32(DSH_KIND_TIMEOUT): .timedOut, Int32(DSH_KIND_REJECTED_TRANSIENT): .rejectedTransiently,
            Int32(DSH_KIND_REJECTED_PERMANENT): .rejectedPermanently, Int32(DSH_KIND_TLS): .tls,
            Int32(DSH_KIND_NOT_ACCEPTED): .notAccepted,
        ]
        let condition = error.condition_module == 0 && error.condition_code == 0
            ? nil : Condition(module: error.condition_module, code: error.condition_code)
        self.init(error.message.map { String(cString: $0) } ?? fallback, kind: kinds[error.kind] ?? .failure, condition: condition)
    }
}

/// Calls into the shim and converts its status convention into Swift errors.
enum Shim {
    static func check(_ call: (inout dsh_error) -> Int32) throws(DicomError) {
        guard try lookup(call) else { throw DicomError("element not found") }
    }

    /// True when found, false for DSH_NOT_FOUND, throws on DSH_ERROR.
    static func lookup(_ call: (inout dsh_error) -> Int32) throws(DicomError) -> Bool {
        var error = dsh_error()
        let status = call(&error)
        defer { dsh_error_clear(&error) }
        switch status {
        case Int32(DSH_OK): return true
        case Int32(DSH_NOT_FOUND): return false
        default: throw DicomError(shim: error, fallback: "unknown DCMTK error")
        }
    }

    /// For calls whose DSH_NOT_FOUND is a failure of its own (with the shim's message and kind).
    static func call(_ fallback: String, _ body: (inout dsh_error) -> Int32) throws(DicomError) {
        var error = dsh_error()
        let status = body(&error)
        defer { dsh_error_clear(&error) }
        guard status == Int32(DSH_OK) else { throw DicomError(shim: error, fallback: fallback) }
    }
}
