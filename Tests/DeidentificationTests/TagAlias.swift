import DicomCore

/// Swift Testing and Yams also define a Tag.
typealias Tag = DicomCore.Tag
