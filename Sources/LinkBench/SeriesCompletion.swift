/// When the last image of a series reached the expert: for a stroke, the non-contrast CT decides on
/// thrombolysis, the angiography on thrombectomy.
public struct SeriesCompletion: Sendable, Codable, Equatable {
    /// The series' folder in the study (`1_NCCT`).
    public let series: String
    public let images: Int
    /// Seconds after the scanner began releasing the study; nil when some of its images never arrived.
    public let seconds: Double?

    public init(series: String, images: Int, seconds: Double?) { (self.series, self.images, self.seconds) = (series, images, seconds) }
}
