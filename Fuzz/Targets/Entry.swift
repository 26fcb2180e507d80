import Foundation

// The libFuzzer entry points. The target is the first argument in both builds: `dicom-fuzz TARGET ...`.

nonisolated(unsafe) var selectedTarget = FuzzTarget.dataset

func selectTarget(_ name: String?) -> Bool {
    guard let name, let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("usage: dicom-fuzz TARGET [libFuzzer options] [CORPUS...]; targets: \(names)\n".utf8))
        return false
    }
    selectedTarget = target
    return true
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: start, count: count))
    return 0
}

/// Called by libFuzzer's main before it parses its options: takes the target name out of the arguments.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
    let vector = argv.pointee
    guard argc.pointee >= 2, selectTarget(vector[1].map { String(cString: $0) }) else { exit(2) }
    for index in 1..<Int(argc.pointee) { vector[index] = vector[index + 1] }
    argc.pointee -= 1
    return 0
}
