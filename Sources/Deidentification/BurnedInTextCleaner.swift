import DicomCore
import TextRecognition

/// `--clean-pixels auto`: finds text in the pixels of objects at risk with OCR, blanks every word that
/// identifies the patient or looks like it identifies someone, reads the result again and refuses the object
/// if identifying text remains. Every frame; compressed pixels decoded first. Pixels without such words are
/// left exactly as they were.
struct BurnedInTextCleaner: Sendable {
    let recognizer: TextRecognizer
    /// Enlargement before OCR: text from 10 px up reads reliably at twice its size.
    static let enlargement = 2

    /// Rounds of reading and blanking: text that OCR reads only once its neighbours are gone (a date beside
    /// a blanked name) is found in a later round. The last round must find nothing.
    static let rounds = 3

    /// Blanks what identifies; returns how many words were blanked.
    func clean(_ object: DicomObject, geometry: ImageGeometry, identifying: IdentifyingWords) throws -> Int {
        var blanked = 0
        for round in 1...Self.rounds {
            var boxes: [Int: [[Int]]] = [:]
            for (index, frame) in try FrameRenderer.frames(of: object, geometry: geometry).enumerated() {
                let found = try words(in: frame).filter { identifying.identifies($0.text) }
                if !found.isEmpty {
                    boxes[index] = found.map { word in
                        // Tesseract's word boxes can stop short of the last glyph: a glyph's width more each side.
                        let box = word.box.padded(horizontal: max(3, word.box.height * 2 / 3), vertical: max(2, word.box.height / 4),
                                                  within: frame.width, frame.height)
                        return [box.x, box.y, box.width, box.height]
                    }
                }
            }
            if boxes.isEmpty { return blanked }
            guard round < Self.rounds else { break }
            try PixelBlanker.blank(boxes, in: object, geometry: geometry)
            blanked += boxes.values.reduce(0) { $0 + $1.count }
        }
        throw DeidentificationError("identifying text remains in the pixels after \(Self.rounds - 1) rounds of blanking: refused")
    }

    /// Words read on the frame as it is and inverted (light text on dark and dark on light), boxes in the
    /// frame's own pixels.
    private func words(in frame: GrayImage) throws -> [RecognizedWord] {
        let factor = Self.enlargement
        let large = frame.enlarged(by: factor)
        return try (recognizer.words(in: large, minimumConfidence: 10) + recognizer.words(in: large.inverted, minimumConfidence: 10)).map {
            RecognizedWord(text: $0.text, box: PixelBox(x: $0.box.x / factor, y: $0.box.y / factor,
                                                        width: ($0.box.width + factor - 1) / factor, height: ($0.box.height + factor - 1) / factor),
                           confidence: $0.confidence)
        }
    }
}
