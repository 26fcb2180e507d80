import AtomicOutput
import CDcmtkShim
import Foundation

/// A DICOM object (file meta information and dataset) held in memory by DCMTK.
///
/// Not thread-safe: use one object from one task at a time; different objects may be used concurrently.
public final class DicomObject {
    let handle: OpaquePointer

    /// Reads a Part 10 file (with or without preamble) or a bare dataset in any transfer syntax.
    public convenience init(contentsOf url: URL) throws(DicomError) {
        DicomLibrary.initialize()
        var handle: OpaquePointer?
        try Shim.check { error in dsh_read_file(url.path, &handle, &error) }
        self.init(owning: handle!)
    }

    /// Reads an object from bytes (standard input, a network buffer).
    public convenience init(bytes: [UInt8]) throws(DicomError) {
        DicomLibrary.initialize()
        var handle: OpaquePointer?
        try bytes.withUnsafeBufferPointer { (buffer) throws(DicomError) in
            try Shim.check { error in dsh_read_buffer(buffer.baseAddress, buffer.count, &handle, &error) }
        }
        self.init(owning: handle!)
    }

    /// An empty object, to be filled with `set`.
    public convenience init() {
        DicomLibrary.initialize()
        guard let handle = dsh_new() else { fatalError("out of memory creating a DICOM object") }
        self.init(owning: handle)
    }

    init(owning handle: OpaquePointer) { self.handle = handle }

    /// The shim's object, for feature modules that call the shim themselves (networking).

    deinit { dsh_release(handle) }

    /// A deep copy.
    public func copy() -> DicomObject {
        guard let copy = dsh_clone(handle) else { fatalError("out of memory copying a DICOM object") }
        return DicomObject(owning: copy)
    }

    // MARK: Whole object

    /// The transfer syntax the dataset is represented in now.
    public var transferSyntax: TransferSyntax {
        var uid: UnsafeMutablePointer<CChar>?
        guard (try? Shim.check({ error in dsh_transfer_syntax(handle, &uid, &error) })) != nil, let uid else {
            return TransferSyntax(uid: TransferSyntax.explicitLittleEndian.uid)
        }
        defer { dsh_free(uid) }
        return TransferSyntax(uid: String(cString: uid))
    }

    /// Whether the object was read with (or has since been given) file meta information.
    public var hasMetaInformation: Bool { dsh_has_meta_information(handle) != 0 }

    /// The object as a Part 10 file, in `transferSyntax` or the current one.
    public func encoded(as transferSyntax: TransferSyntax? = nil) throws(DicomError) -> [UInt8] {
        // Straight into the array when DCMTK can say how large the object will be; otherwise through its buffer.
        let capacity = dsh_encoded_capacity(handle, transferSyntax?.uid)
        if capacity > 0 {
            var failure: DicomError?
            var fitted = false
            let direct = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                var length = 0
                do {
                    fitted = try Shim.lookup { error in
                        dsh_write_into(handle, transferSyntax?.uid, buffer.baseAddress, capacity, &length, &error)
                    }
                } catch { failure = error as? DicomError ?? DicomError("\(error)") }
                count = fitted ? length : 0
            }
            if let failure { throw failure }
            if fitted { return direct }
        }
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        try Shim.check { error in dsh_write_buffer(handle, transferSyntax?.uid, &bytes, &length, &error) }
        defer { dsh_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// Writes the object atomically as a Part 10 file: never a half-written output, never a clobbered file
    /// left behind on failure.
    public func write(to url: URL, as transferSyntax: TransferSyntax? = nil) throws(DicomError) {
        let bytes = try encoded(as: transferSyntax)
        do { try AtomicFile.write(bytes, to: url) } catch { throw DicomError(error.message) }
    }

    /// Re-encodes the pixel data (DCMTK codecs). `nearLossless` > 0 asks JPEG-LS for near-lossless coding.
    public func changeTransferSyntax(to target: TransferSyntax, nearLossless: Int = 0) throws(DicomError) {
        try Shim.check { error in dsh_change_transfer_syntax(handle, target.uid, Int32(nearLossless), &error) }
    }

    // MARK: Elements

    /// Every element, meta information first, depth first through sequences.
    public func elements() throws(DicomError) -> [Element] {
        var list: UnsafeMutablePointer<dsh_element>?
        var count = 0
        try Shim.check { error in dsh_list(handle, &list, &count, &error) }
        defer { dsh_list_free(list, count) }
        return UnsafeBufferPointer(start: list, count: count).map { entry in
            let vr = withUnsafeBytes(of: entry.vr) { String(decoding: $0.prefix(2), as: UTF8.self) }
            return Element(
                path: ElementPath(parsing: String(cString: entry.path))!,
                vr: vr,
                length: entry.length == UInt32.max ? nil : entry.length,
                itemCount: Int(entry.item_count),
                inMetaInformation: entry.in_meta != 0,
                isEncapsulated: entry.encapsulated != 0,
                text: entry.value.map { String(cString: $0) })
        }
    }

    /// The text value of a string or numeric element (values joined by "\"), nil when absent.
    public func string(_ path: ElementPath) throws(DicomError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard try Shim.lookup({ error in dsh_get_string(handle, path.description, &value, &error) }) else {
            return nil
        }
        defer { dsh_free(value) }
        return String(cString: value!)
    }

    public func string(_ tag: Tag) throws(DicomError) -> String? { try string(ElementPath(tag)) }

    /// The raw value bytes (little endian); for encapsulated pixel data the concatenated fragments.
    public func bytes(_ path: ElementPath) throws(DicomError) -> [UInt8]? {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard try Shim.lookup({ error in dsh_get_bytes(handle, path.description, &bytes, &length, &error) }) else {
            return nil
        }
        defer { dsh_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    public func bytes(_ tag: Tag) throws(DicomError) -> [UInt8]? { try bytes(ElementPath(tag)) }

    /// Sets a text value, creating the element and any missing sequence items. `vr` is needed for tags the
    /// dictionary does not know (private ones); an existing element keeps its VR.
    public func set(_ path: ElementPath, _ value: String, vr: String? = nil) throws(DicomError) {
        try Shim.check { error in dsh_set_string(handle, path.description, vr, value, &error) }
    }

    public func set(_ tag: Tag, _ value: String, vr: String? = nil) throws(DicomError) {
        try set(ElementPath(tag), value, vr: vr)
    }

    /// Sets a binary value (OB, OW, UN...), bytes in little endian order.
    public func set(_ path: ElementPath, bytes: [UInt8], vr: String? = nil) throws(DicomError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DicomError) in
            try Shim.check { error in
                dsh_set_bytes(handle, path.description, vr, buffer.baseAddress, buffer.count, &error)
            }
        }
    }

    /// Appends an empty item to a sequence (created when absent) and returns its index.
    @discardableResult
    public func appendItem(to sequence: ElementPath) throws(DicomError) -> Int {
        var index: UInt32 = 0
        try Shim.check { error in dsh_append_item(handle, sequence.description, &index, &error) }
        return Int(index)
    }

    /// Deletes the element (or item) at the path; returns false when there was none.
    @discardableResult
    public func delete(_ path: ElementPath) throws(DicomError) -> Bool {
        var deleted: UInt32 = 0
        return try Shim.lookup { error in dsh_delete(handle, path.description, &deleted, &error) }
    }

    @discardableResult
    public func delete(_ tag: Tag) throws(DicomError) -> Bool { try delete(ElementPath(tag)) }
}

