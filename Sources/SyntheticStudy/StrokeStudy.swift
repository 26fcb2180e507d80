import AtomicOutput
import DicomCore
import Foundation
import Locking

/// A synthetic acute-stroke CT study: non-contrast head CT, CT angiography and CT perfusion, as a stroke
/// unit sends them for a remote opinion. Headers are realistic and carry invented identifying data at top
/// level, inside sequences (two and three levels deep) and in a private block; UIDs are unique; everything
/// is deterministic from the seed.
public struct StrokeStudy: Sendable {
    public struct Series: Sendable {
        public let number: Int
        public let folder: String
        public let description: String
        public let imageCount: Int
        let sliceThickness: Double
        /// Perfusion: images per time point; other series: all images are one time point.
        let slicesPerTimePoint: Int
        let contrast: @Sendable (_ timePoint: Int) -> Double
    }

    public let seed: UInt64
    public let scale: Double
    public let identity: FakeIdentity
    public let series: [Series]
    let studyUID: String
    let frameOfReferenceUID: String
    let seriesUIDs: [String]
    let instanceUIDs: [[String]]

    /// Scale 1 is the full protocol: 40 + 400 + 1,000 images of 512x512 (about 750 MB).
    public init(scale: Double = 1, seed: UInt64 = 1) {
        self.seed = seed
        self.scale = scale
        var random = SeededRandom(seed: seed)
        identity = FakeIdentity(random: &random)
        func count(_ full: Int) -> Int { max(1, Int((Double(full) * scale).rounded())) }
        let perfusionCount = count(1000)
        let perfusionSlab = min(25, perfusionCount)
        series = [
            Series(number: 1, folder: "1_NCCT", description: "TETE SANS INJECTION", imageCount: count(40),
                   sliceThickness: 5, slicesPerTimePoint: count(40), contrast: { _ in 0 }),
            Series(number: 2, folder: "2_CTA", description: "ANGIO TSA WILLIS", imageCount: count(400),
                   sliceThickness: 0.625, slicesPerTimePoint: count(400), contrast: { _ in 1 }),
            Series(number: 3, folder: "3_CTP", description: "PERFUSION CEREBRALE", imageCount: perfusionCount,
                   sliceThickness: 5, slicesPerTimePoint: perfusionSlab,
                   contrast: { time in
                       // Gamma-variate bolus: arrival after ~8 s, peak near 15 s, one image every 1.5 s.
                       let t = max(0, Double(time) * 1.5 - 8)
                       return min(1, pow(t / 7, 3) * Foundation.exp(3 * (1 - t / 7)))
                   }),
        ]
        var uids = UIDFactory(seed: seed)
        studyUID = uids.next()
        frameOfReferenceUID = uids.next()
        seriesUIDs = series.map { _ in uids.next() }
        instanceUIDs = series.map { series in (0..<series.imageCount).map { _ in uids.next() } }
    }

    public var imageCount: Int { series.reduce(0) { $0 + $1.imageCount } }

    /// The relative file path of image `index` of series `seriesIndex`.
    public func relativePath(series seriesIndex: Int, image index: Int) -> String {
        series[seriesIndex].folder + "/" + String(format: "IM%05d.dcm", index + 1)
    }

    /// Builds one image of the study.
    public func image(series seriesIndex: Int, index: Int) throws(DicomError) -> DicomObject {
        let plan = series[seriesIndex]
        let slice = index % plan.slicesPerTimePoint
        let timePoint = index / plan.slicesPerTimePoint
        let level = plan.slicesPerTimePoint == 1 ? 0.5 : 0.15 + 0.75 * Double(slice) / Double(plan.slicesPerTimePoint - 1)
        var random = SeededRandom(seed: seed).derived(seriesIndex * 1_000_000 + index)
        let pixels = HeadPhantom(level: level, contrast: plan.contrast(timePoint)).render(random: &random)

        let object = DicomObject()
        let id = identity
        let z = -40 + 120 * level
        let hours: Int = Int(id.studyTime.prefix(2)) ?? 0
        let minutes: Int = Int(id.studyTime.dropFirst(2).prefix(2)) ?? 0
        let offset: Int = plan.number * 300 + Int(Double(timePoint) * 1.5)
        let seconds: Int = hours * 3600 + minutes * 60 + offset
        let contentTime = String(format: "%02d%02d%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
        let values: [(Tag, String)] = [
            (.specificCharacterSet, "ISO_IR 100"),
            (.imageType, "ORIGINAL\\PRIMARY\\AXIAL"),
            (.sopClassUID, "1.2.840.10008.5.1.4.1.1.2"),
            (.sopInstanceUID, instanceUIDs[seriesIndex][index]),
            (.studyDate, id.studyDate), (.seriesDate, id.studyDate), (.acquisitionDate, id.studyDate),
            (.contentDate, id.studyDate), (.studyTime, id.studyTime), (.seriesTime, contentTime),
            (.contentTime, contentTime), (.accessionNumber, id.accessionNumber), (.modality, "CT"),
            (.manufacturer, "TELERAD SYNTHETIC"), (.institutionName, id.institution),
            (.institutionAddress, id.institutionAddress), (.referringPhysicianName, id.referringPhysician),
            (.stationName, id.stationName), (.studyDescription, "URGENCE AVC - PROTOCOLE THROMBOLYSE"),
            (.seriesDescription, plan.description), (.institutionalDepartmentName, "URGENCES"),
            (.performingPhysicianName, id.performingPhysician), (.operatorsName, id.operatorName),
            (.manufacturerModelName, "PHANTOM HEAD 512"),
        ]
        let patient: [(Tag, String)] = [
            (.patientName, id.patientName), (.patientID, id.patientID), (.issuerOfPatientID, "IPP-29"),
            (.patientBirthDate, id.birthDate), (.patientSex, id.sex), (.patientAge, id.age),
            (.patientWeight, "72"), (.patientAddress, id.patientAddress),
            (.patientTelephoneNumbers, id.patientPhone),
        ]
        let position = "-122.5\\-122.5\\" + format(z)
        let acquisition: [(Tag, String)] = [
            (Tag(0x0018, 0x0015), "HEAD"), (.sliceThickness, String(plan.sliceThickness)), (.kvp, "120"),
            (.deviceSerialNumber, id.deviceSerial), (.protocolName, "AVC " + plan.description),
            (Tag(0x0018, 0x1210), "STANDARD"),
            (.studyInstanceUID, studyUID), (.seriesInstanceUID, seriesUIDs[seriesIndex]),
            (.studyID, String(id.accessionNumber.suffix(6))), (.seriesNumber, String(plan.number)),
            (.acquisitionNumber, String(timePoint + 1)), (.instanceNumber, String(index + 1)),
            (.imagePositionPatient, position),
        ]
        let image: [(Tag, String)] = [
            (.imageOrientationPatient, "1\\0\\0\\0\\1\\0"), (.frameOfReferenceUID, frameOfReferenceUID),
            (Tag(0x0020, 0x1040), ""), (.sliceLocation, format(z)),
            (.samplesPerPixel, "1"), (.photometricInterpretation, "MONOCHROME2"),
            (.rows, "512"), (.columns, "512"), (.pixelSpacing, "0.478516\\0.478516"),
            (.bitsAllocated, "16"), (.bitsStored, "14"), (.highBit, "13"), (.pixelRepresentation, "1"),
            (.burnedInAnnotation, "NO"),
            (.windowCenter, plan.number == 2 ? "300" : "40"), (.windowWidth, plan.number == 2 ? "700" : "80"),
            (.rescaleIntercept, "-1024"), (.rescaleSlope, "1"), (Tag(0x0028, 0x1054), "HU"),
        ]
        for (tag, value) in values + patient + acquisition + image { try object.set(tag, value) }
        if plan.number == 3 { try object.set(Tag(0x0020, 0x9128), String(timePoint + 1)) }  // temporal position

        // Identifying data in sequences: the order (two levels) and the referring physician's code (three).
        let request = ElementPath(.requestAttributesSequence)
        try object.set(request.appending(item: 0, Tag(0x0040, 0x1001)), "RP" + id.accessionNumber.suffix(6))
        try object.set(request.appending(item: 0, Tag(0x0040, 0x0009)), "SPS" + id.accessionNumber.suffix(6))
        try object.set(request.appending(item: 0, Tag(0x0032, 0x1060)), "SCANNER CEREBRAL " + id.patientName)
        let physician = ElementPath(Tag(0x0008, 0x0096))
        let personCode = physician.appending(item: 0, Tag(0x0040, 0x1101))
        try object.set(physician.appending(item: 0, .institutionName), id.institution)
        try object.set(personCode.appending(item: 0, Tag(0x0008, 0x0100)), "RPPS" + id.patientID.suffix(6))
        try object.set(personCode.appending(item: 0, Tag(0x0008, 0x0102)), "L")
        try object.set(personCode.appending(item: 0, Tag(0x0008, 0x0104)), id.referringPhysician)
        let otherIDs = ElementPath(.otherPatientIDsSequence)
        try object.set(otherIDs.appending(item: 0, .patientID), "NIP" + id.patientID.suffix(8))
        try object.set(otherIDs.appending(item: 0, .issuerOfPatientID), "INSEE")
        // Every image after the first of a series references the first one: references must survive.
        if index > 0 {
            let reference = ElementPath(Tag(0x0008, 0x1140))
            try object.set(reference.appending(item: 0, .referencedSOPClassUID), "1.2.840.10008.5.1.4.1.1.2")
            try object.set(reference.appending(item: 0, .referencedSOPInstanceUID), instanceUIDs[seriesIndex][0])
        }

        // A vendor private block that copies identifying data, as real scanners do.
        let creator = "TELERAD SYNTHETIC 1.0"
        try object.set(ElementPath(Tag(0x0009, 0x0010)), creator, vr: "LO")
        try object.set(ElementPath(Tag(0x0009, 0x1001)), id.patientName, vr: "LO")
        try object.set(ElementPath(Tag(0x0009, 0x1002)), id.patientID, vr: "LO")
        try object.set(ElementPath(Tag(0x0009, 0x1003)), id.birthDate, vr: "DA")

        var bytes = [UInt8](repeating: 0, count: pixels.count * 2)
        for (index, value) in pixels.enumerated() {
            let raw = UInt16(bitPattern: value)
            bytes[2 * index] = UInt8(raw & 0xFF)
            bytes[2 * index + 1] = UInt8(raw >> 8)
        }
        try object.set(ElementPath(.pixelData), bytes: bytes, vr: "OW")
        return object
    }

    /// Writes the whole study under `folder` (one subfolder per series), `jobs` images at a time.
    /// Returns the number of bytes written.
    @discardableResult
    public func write(
        to folder: URL, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws(DicomError) -> Int {
        let work = series.indices.flatMap { seriesIndex in
            (0..<series[seriesIndex].imageCount).map { (seriesIndex, $0) }
        }
        let state = WriteState()
        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
            for position in stride(from: worker, to: work.count, by: max(1, jobs)) {
                guard state.firstError == nil else { return }
                let (seriesIndex, index) = work[position]
                do throws(DicomError) {
                    let url = folder.appendingPathComponent(relativePath(series: seriesIndex, image: index))
                    let bytes = try image(series: seriesIndex, index: index).encoded(as: .explicitLittleEndian)
                    do throws(AtomicFileError) { try AtomicFile.write(bytes, to: url) } catch { throw DicomError(error.message) }
                    progress(state.finished(bytes: bytes.count), work.count)
                } catch {
                    state.fail(error)
                }
            }
        }
        if let error = state.firstError { throw error }
        return state.bytes
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// Progress shared by the writer's threads.
private final class WriteState: Sendable {
    private struct Progress {
        var done = 0
        var bytes = 0
        var error: DicomError?
    }

    private let progress = Locked(Progress())

    var firstError: DicomError? { progress.withLock { $0.error } }
    var bytes: Int { progress.withLock { $0.bytes } }

    func finished(bytes count: Int) -> Int {
        progress.withLock {
            $0.done += 1
            $0.bytes += count
            return $0.done
        }
    }

    func fail(_ failure: DicomError) { progress.withLock { if $0.error == nil { $0.error = failure } } }
}
