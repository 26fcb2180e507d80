import Foundation
import TestSupport
import Testing

/// The layers as the dynamic linker sees them (ldd on the built executables): rota-plan knows nothing of
/// DICOM, so it loads no DCMTK library; dcm-send, which does, is the control that the check can fail.
struct LinkedLibrariesTests {
    static func dcmtkLibraries(of tool: String) throws -> [String] {
        let result = try Processes.run(URL(fileURLWithPath: "/usr/bin/ldd"), [Processes.binFolder.appendingPathComponent(tool).path])
        #expect(result.status == 0, "ldd \(tool): \(result.stderr)")
        return result.stdoutText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("libdcm") || $0.hasPrefix("libofstd") || $0.hasPrefix("liboflog") }
    }

    @Test func rotaPlanLinksNoDcmtk() throws {
        #expect(try Self.dcmtkLibraries(of: "rota-plan") == [])
    }

    @Test func dicomToolsLinkDcmtk() throws {
        #expect(try Self.dcmtkLibraries(of: "dcm-send").contains { $0.hasPrefix("libdcmnet") })
    }
}
