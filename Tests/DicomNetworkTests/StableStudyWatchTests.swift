import DicomNetwork
import Foundation
import Locking
import Testing

/// A study is reported once nothing of it arrived for the quiet time, with the objects counted since it was
/// last reported; a study still receiving is not; a late object starts its watch again.
struct StableStudyWatchTests {
    @Test func quietStudiesAreReportedOnceEach() throws {
        let reported = Locked<[StableStudyWatch.Study]>([])
        let watch = StableStudyWatch(quietSeconds: 0.4) { study in reported.withLock { $0.append(study) } }
        defer { watch.stop() }
        for _ in 0..<3 { watch.arrived("1.2.3") }
        watch.arrived("1.2.4")
        // 1.2.4 keeps receiving for a second: it must not be reported while it does.
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: 0.2)
            watch.arrived("1.2.4")
        }
        #expect(reported.withLock { $0 } == [StableStudyWatch.Study(studyInstanceUID: "1.2.3", objects: 3)])
        Thread.sleep(forTimeInterval: 0.8)
        #expect(reported.withLock { $0 }.last == StableStudyWatch.Study(studyInstanceUID: "1.2.4", objects: 6))
        watch.arrived("1.2.3")
        Thread.sleep(forTimeInterval: 0.8)
        #expect(reported.withLock { $0 }.count == 3, "a late object makes its study stable again, counted anew")
        #expect(reported.withLock { $0 }.last?.objects == 1)
    }
}
