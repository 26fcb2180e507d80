import CTesseract
import Foundation
import Locking

/// Reads words and their boxes with Tesseract (English and French models from Debian). Engines are costly
/// to start (the models load once each) and serve one image at a time: a pool keeps them between calls.
public final class TextRecognizer: Sendable {
    public let languages: String
    private let idle = Locked<[Engine]>([])

    public init(languages: String = "eng+fra") { self.languages = languages }

    /// The words of `image`, at least `minimumConfidence` sure, boxes in `image`'s pixels.
    public func words(in image: GrayImage, minimumConfidence: Float = 0) throws(RecognitionError) -> [RecognizedWord] {
        let engine: Engine
        if let pooled = idle.withLock({ $0.popLast() }) { engine = pooled } else { engine = try Engine(languages: languages) }
        defer { idle.withLock { $0.append(engine) } }
        return engine.words(in: image).filter { $0.confidence >= minimumConfidence }
    }
}

public struct RecognitionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// One Tesseract instance; used by one caller at a time (the pool hands it out).
final class Engine: @unchecked Sendable {
    private let handle: OpaquePointer

    init(languages: String) throws(RecognitionError) {
        guard let handle = TessBaseAPICreate() else { throw RecognitionError(description: "cannot create a Tesseract engine") }
        guard TessBaseAPIInit3(handle, nil, languages) == 0 else {
            TessBaseAPIDelete(handle)
            throw RecognitionError(description: "cannot load Tesseract's \(languages) models (tesseract-ocr-eng, tesseract-ocr-fra)")
        }
        // Sparse text anywhere in the image (overlays, captions), not a page of paragraphs.
        TessBaseAPISetPageSegMode(handle, PSM_SPARSE_TEXT)
        TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        self.handle = handle
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    func words(in image: GrayImage) -> [RecognizedWord] {
        guard image.width > 0, image.height > 0 else { return [] }
        image.pixels.withUnsafeBufferPointer { buffer in
            TessBaseAPISetImage(handle, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
            _ = TessBaseAPIRecognize(handle, nil)
        }
        defer { TessBaseAPIClear(handle) }
        guard let iterator = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        var words: [RecognizedWord] = []
        repeat {
            guard let text = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            defer { TessDeleteText(text) }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard TessPageIteratorBoundingBox(TessResultIteratorGetPageIteratorConst(iterator), RIL_WORD, &left, &top, &right, &bottom) != 0
            else { continue }
            words.append(RecognizedWord(
                text: String(cString: text), box: PixelBox(x: Int(left), y: Int(top), width: Int(right - left), height: Int(bottom - top)),
                confidence: TessResultIteratorConfidence(iterator, RIL_WORD)))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return words
    }
}
