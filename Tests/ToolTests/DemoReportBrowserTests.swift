import Foundation
import TestSupport
import Testing

/// `make demo` end to end, then its HTML report and the rota's month view as a reader sees them: rendered by
/// a real browser (Debian's Chromium, headless). The rendered text carries numbers rounded with their units,
/// never the raw JSON keys or CSV columns the report is made from; the screenshots are pictures, not blank
/// pages.
@Suite struct DemoReportBrowserTests {
    @Test func theDemoReportAndTheMonthViewReadWellInABrowser() throws {
        let chromium = try #require(Processes.system("chromium"), "Debian's chromium is missing (make test installs it)")
        let out = try TestPaths.temporaryFolder("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        let demo = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "TELERAD_BIN=\(Processes.binFolder.path)", "DEMO_OUT=\(out.path)", "bash",
            TestPaths.repository.appendingPathComponent("scripts/demo.sh").path,
        ])
        #expect(demo.status == 0, "\(demo.stderr.suffix(2000))")
        #expect(demo.stdoutText.contains("29 of 29 images reached the expert"), "\(demo.stdoutText.suffix(2000))")

        let profile = try TestPaths.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let browser = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)"]
        let report = out.appendingPathComponent("report.html"), monthView = out.appendingPathComponent("rota/month-view.html")
        let dom = try Processes.run(chromium, browser + ["--dump-dom", report.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr.suffix(1000))")
        let page = dom.stdoutText
        #expect(page.contains("Telerad toolkit demo") && page.contains("A stroke as it happens"))
        #expect(page.contains(" Mbit/s") && page.contains(" MB/s") && page.contains(" s</td>"))
        // The names the report is made from: dcm-send's summary keys and the benchmark's CSV columns.
        let summaryLine = try #require(try String(contentsOf: out.appendingPathComponent("send.jsonl"), encoding: .utf8)
            .split(separator: "\n").last { $0.contains("\"summary\":true") })
        let summaryKeys = try #require(try JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any]).keys
        let csvColumns = try String(contentsOf: out.appendingPathComponent("link-4g.csv"), encoding: .utf8)
            .split(separator: "\n")[0].split(separator: ",").map(String.init)
        let cells = Self.cells(of: page)
        #expect(!cells.isEmpty)
        for key in Array(summaryKeys) + csvColumns where key.contains("_") {
            #expect(!cells.contains(key), "the report shows the raw key \(key)")
        }
        // No number with four decimals or more (UIDs aside, which are dotted runs of digits).
        for cell in cells {
            let numbers = cell.split { !$0.isNumber && $0 != "." }.map { $0.split(separator: ".", omittingEmptySubsequences: false) }
            #expect(!numbers.contains { $0.count == 2 && $0[1].count >= 4 }, "unrounded number in '\(cell)'")
        }

        let monthDom = try Processes.run(chromium, browser + ["--dump-dom", monthView.absoluteString])
        #expect(monthDom.status == 0 && monthDom.stdoutText.contains("B03"), "\(monthDom.stderr.suffix(1000))")

        for (page, name) in [(report, "report.png"), (monthView, "month.png")] {
            let shot = out.appendingPathComponent(name)
            let result = try Processes.run(chromium, browser + ["--window-size=1200,2400", "--screenshot=\(shot.path)", page.absoluteString])
            #expect(result.status == 0, "\(result.stderr.suffix(1000))")
            // Independently of the browser: Pillow reads the picture; a page that failed to render is blank.
            let check = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
                import sys
                from PIL import Image
                image = Image.open(sys.argv[1]).convert("RGB")
                assert image.size == (1200, 2400), image.size
                pixels = list(image.getdata())
                inked = sum(1 for p in pixels if sum(p) < 600) / len(pixels)
                colours = len(set(pixels))
                assert inked > 0.01 and colours > 16, (inked, colours)
                print(f"{inked:.3f} {colours}")
                """, shot.path])
            #expect(check.status == 0, "\(name): \(check.stderr)")
        }
    }

    /// The text of each table cell of a rendered page.
    static func cells(of page: String) -> [String] {
        page.components(separatedBy: "<td>").dropFirst().compactMap { $0.components(separatedBy: "</td>").first }
    }
}
