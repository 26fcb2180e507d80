// In-process codec speeds on one core, without process start-up or file I/O: the transport bundle's pixel
// codec (MED predictor + zstd) and DCMTK's JPEG-LS, on the pixel data of the DICOM files given.
// Usage: codec-bench [--repeat N] FILE...   Prints one TSV line per codec: name, ratio, encode MB/s, decode MB/s.
import DicomCodecs
import DicomCore
import Foundation

let hasRepeat = CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--repeat"
let repeats = hasRepeat ? Int(CommandLine.arguments[2]) ?? 5 : 5
let arguments = Array(CommandLine.arguments.dropFirst(hasRepeat ? 3 : 1))
let objects = arguments.compactMap { try? DicomObject(contentsOf: URL(fileURLWithPath: $0)) }
let images: [(pixels: [UInt8], predictor: PixelPredictor, object: DicomObject)] = objects.compactMap { object in
    guard let geometry = try? object.imageGeometry(), geometry.bitsAllocated == 16, geometry.samplesPerPixel == 1,
        let pixels = try? object.decodedPixelData()
    else { return nil }
    return (pixels, PixelPredictor(rows: geometry.rows, columns: geometry.columns, images: geometry.frames,
                                   bytesPerSample: 2, isSigned: geometry.isSigned), object)
}
let raw = Double(images.reduce(0) { $0 + $1.pixels.count })

func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<repeats {
        let start = Date()
        try body()
        fastest = min(fastest, Date().timeIntervalSince(start))
    }
    return fastest
}

var frames: [[UInt8]] = []
let encodeBundle = try best(repeats) { frames = try images.map { try Zstd.compress($0.predictor.encode($0.pixels), level: 1) } }
for (frame, image) in zip(frames, images) where try image.predictor.decode(Zstd.decompress(frame)) != image.pixels {
    fatalError("bundle codec not lossless")
}
let decodeBundle = try best(repeats) { for (frame, image) in zip(frames, images) { _ = image.predictor.decode(try Zstd.decompress(frame)) } }
// The same decoding spread over every core, as `unpack` does (one image per task).
let cores = ProcessInfo.processInfo.activeProcessorCount
let work = zip(frames, images.map(\.predictor)).map { ($0, $1) }
let decodeParallel = best(repeats) {
    DispatchQueue.concurrentPerform(iterations: cores) { [work] worker in
        for index in stride(from: worker, to: work.count, by: cores) {
            _ = work[index].1.decode((try? Zstd.decompress(work[index].0)) ?? [])
        }
    }
}
print("bundle pixels, decode on \(cores) cores\t\(raw / Double(frames.reduce(0) { $0 + $1.count }))\tnan\t\(raw / decodeParallel / 1e6)")
print("bundle pixels (MED + zstd -1)\t\(raw / Double(frames.reduce(0) { $0 + $1.count }))\t\(raw / encodeBundle / 1e6)\t\(raw / decodeBundle / 1e6)")

var encoded: [DicomObject] = []
let encodeJLS = try best(repeats) { encoded = try images.map { try Transcoder.transcode($0.object, to: .jpegLS, verify: false).object } }
let encodedBytes = Double(try encoded.reduce(0) { $0 + (try $1.bytes(.pixelData)?.count ?? 0) })
let decodeJLS = try best(repeats) { for object in encoded { _ = try object.decodedPixelData() } }
print("DCMTK JPEG-LS (dcmjpls)\t\(raw / encodedBytes)\t\(raw / encodeJLS / 1e6)\t\(raw / decodeJLS / 1e6)")
