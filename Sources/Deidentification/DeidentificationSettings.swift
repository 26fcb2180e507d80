import DicomCore
import TextRecognition

/// Everything that decides how objects are de-identified, apart from the key.
public struct DeidentificationSettings: Sendable {
    /// The profile options in force (Clean Pixel Data is set by the pixel rules, not here).
    public var options: Set<ProfileOption> = []
    /// Template of the Patient ID and Patient's Name pseudonyms; `{hash}` is the keyed part.
    public var pseudonymTemplate = "ANON{hash}"
    /// Per-attribute actions that win over the profile.
    public var overrides: [AttributeSelector: ElementAction] = [:]
    /// What to do with objects that have or may have text burned into their pixels.
    public var burnedIn: BurnedInPolicy = .refuse
    /// The Specific Character Set of objects that declare none (nil: their text must be ASCII).
    public var assumedCharacterSet: String?

    public init() {}

    /// The options recorded in the output: those asked for, plus Clean Pixel Data when pixels were blanked.
    func recordedOptions(pixelsCleaned: Bool) -> [ProfileOption] {
        (options.subtracting([.cleanPixelData]).union(pixelsCleaned ? [.cleanPixelData] : [])).sorted()
    }
}

/// Burned-in annotation: refuse (default), accept as is, blank regions chosen by rules first, or find the
/// text with OCR and blank what identifies (`auto`).
public enum BurnedInPolicy: Sendable {
    case refuse
    case accept
    case clean(PixelCleaningRules)
    case auto(TextRecognizer)
}
