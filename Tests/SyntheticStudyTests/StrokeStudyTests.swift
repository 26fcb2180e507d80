import DicomCodecs
import DicomCore
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@Suite struct StrokeStudyTests {
    /// JPEG-LS ratio of pixel data: raw sample bytes over encoded fragment bytes.
    func jpegLSRatio(_ object: DicomObject) throws -> Double {
        let result = try Transcoder.transcode(object, to: .jpegLS, verify: false)
        return Double(result.pixelBytesBefore) / Double(result.pixelBytesAfter)
    }

    @Test func generatedSlicesCompressLikeTheRealHeadCT() throws {
        let real = try jpegLSRatio(try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("693_UNCR.dcm")))
        let study = StrokeStudy(scale: 0.05, seed: 7)
        // Slices from every series and several levels of the head.
        var ratios: [Double] = []
        for (seriesIndex, series) in study.series.enumerated() {
            for index in Set([0, series.imageCount / 2, series.imageCount - 1]).sorted() {
                ratios.append(try jpegLSRatio(try study.image(series: seriesIndex, index: index)))
            }
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        print("JPEG-LS ratio: real \(real), generated mean \(mean), each \(ratios)")
        #expect(abs(mean - real) / real <= 0.15, "generated \(mean) vs real \(real)")
    }

    @Test func sameSeedSameStudyOtherSeedOtherStudy() throws {
        let a = try StrokeStudy(scale: 0.01, seed: 3).image(series: 0, index: 0).encoded()
        let b = try StrokeStudy(scale: 0.01, seed: 3).image(series: 0, index: 0).encoded()
        let c = try StrokeStudy(scale: 0.01, seed: 4).image(series: 0, index: 0).encoded()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func protocolSizesFollowTheScale() {
        #expect(StrokeStudy(scale: 1).series.map(\.imageCount) == [40, 400, 1000])
        #expect(StrokeStudy(scale: 0.1).series.map(\.imageCount) == [4, 40, 100])
        #expect(StrokeStudy(scale: 0.001).imageCount == 3)
    }

    @Test func writtenStudyIsOneStudyWithUniqueInstancesAndHiddenIdentity() throws {
        let folder = try TestPaths.temporaryFolder("study")
        defer { try? FileManager.default.removeItem(at: folder) }
        let study = StrokeStudy(scale: 0.01, seed: 11)
        let bytes = try study.write(to: folder, jobs: 2)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".dcm") }
        #expect(files.count == study.imageCount)
        #expect(bytes > study.imageCount * 512 * 512 * 2)

        var studies = Set<String>(), series = Set<String>(), instances = Set<String>()
        for file in files {
            let object = try DicomObject(contentsOf: folder.appendingPathComponent(file))
            studies.insert(try #require(try object.string(.studyInstanceUID)))
            series.insert(try #require(try object.string(.seriesInstanceUID)))
            instances.insert(try #require(try object.string(.sopInstanceUID)))
            let elements = try object.elements()
            let name = study.identity.patientName
            // The patient's name at top level, in a sequence two levels deep and in the private block.
            #expect(elements.contains { $0.depth == 0 && $0.text == name })
            #expect(elements.contains { $0.depth == 1 && ($0.text ?? "").contains(name) })
            #expect(elements.contains { $0.tag.isPrivate && $0.text == name })
            #expect(elements.contains { $0.depth == 2 && $0.text == study.identity.referringPhysician })
            #expect(try object.privateCreator(of: ElementPath(Tag(0x0009, 0x1001))) == "TELERAD SYNTHETIC 1.0")
        }
        #expect(studies.count == 1)
        #expect(series.count == 3)
        #expect(instances.count == files.count)
        #expect(instances.allSatisfy { $0.hasPrefix("2.25.") && $0.count <= 64 })
    }
}
