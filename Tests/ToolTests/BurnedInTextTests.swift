import Foundation
import TestSupport
import Testing

/// `dcm-anon --clean-pixels auto` on the generated evaluation set (scripts/make-burned-in-set.py, rendered by
/// pillow) and scored by scripts/evaluate-burned-in.py: every identifying string gone at 14 and 28 px, in two
/// fonts, light on dark and dark on light; not one pixel changed in the same images without text.
@Suite struct BurnedInTextTests {
    @Test func identifyingTextIsBlankedAndImagesWithoutTextAreUntouched() throws {
        let python = try #require(Processes.which("python3"))
        let work = try TestPaths.temporaryFolder("burned-in")
        defer { try? FileManager.default.removeItem(at: work) }
        let scripts = TestPaths.repository.appendingPathComponent("scripts")
        let made = try Processes.run(python, [scripts.appendingPathComponent("make-burned-in-set.py").path, work.path, "--sizes", "14,28"])
        try #require(made.status == 0, "\(made.stderr)")
        for (input, output) in [("with-text", "cleaned"), ("without-text", "cleaned-plain")] {
            let run = try Processes.tool("dcm-anon", ["--random-key", "--clean-pixels", "auto", "-o", work.appendingPathComponent(output).path,
                                                      work.appendingPathComponent(input).path])
            #expect(run.status == 0, "\(input): \(run.stderr)")
        }
        let scored = try Processes.run(python, [scripts.appendingPathComponent("evaluate-burned-in.py").path, work.path,
                                                work.appendingPathComponent("cleaned").path, work.appendingPathComponent("cleaned-plain").path])
        let score = try #require(try JSONSerialization.jsonObject(with: scored.stdout) as? [String: Any], "\(scored.stderr)")
        #expect((score["recall"] as? [String: Double]) == ["14": 1.0, "28": 1.0], "\(score)")
        #expect((score["changed_without_text"] as? [String: Int])?.isEmpty == true, "\(score)")
        #expect((score["refused"] as? [String])?.isEmpty == true, "\(score)")
    }

    /// Every frame of a multi-frame object is read (the text is on the second), compressed pixels are decoded
    /// first, and the frame without text keeps every pixel.
    @Test func everyFrameOfACompressedMultiFrameObject() throws {
        let python = try #require(Processes.which("python3"))
        let work = try TestPaths.temporaryFolder("burned-in-frames")
        defer { try? FileManager.default.removeItem(at: work) }
        let scripts = TestPaths.repository.appendingPathComponent("scripts")
        try #require(try Processes.run(python, [scripts.appendingPathComponent("make-burned-in-set.py").path, work.path, "--sizes", "20"]).status == 0)
        let case_ = "20px-sans-light-on-dark.dcm"
        let combine = """
            import sys, numpy as np, pydicom
            with_text, plain, out = sys.argv[1:4]
            ds = pydicom.dcmread(with_text)
            frames = np.stack([pydicom.dcmread(plain).pixel_array, ds.pixel_array])
            ds.NumberOfFrames = 2
            ds.PixelData = frames.tobytes()
            ds.save_as(out)
            """
        let twoFrames = work.appendingPathComponent("two-frames.dcm"), compressed = work.appendingPathComponent("compressed")
        let combined = try Processes.run(python, ["-c", combine, work.appendingPathComponent("with-text/\(case_)").path,
                                                  work.appendingPathComponent("without-text/\(case_)").path, twoFrames.path])
        try #require(combined.status == 0, "\(combined.stderr)")
        #expect(try Processes.tool("dcm-compress", ["--codec", "jpeg-ls", "-o", compressed.path, twoFrames.path]).status == 0)
        let cleaned = work.appendingPathComponent("cleaned")
        let run = try Processes.tool("dcm-anon", ["--random-key", "--clean-pixels", "auto", "-o", cleaned.path,
                                                  compressed.appendingPathComponent("two-frames.dcm").path])
        #expect(run.status == 0, "\(run.stderr)")
        let check = """
            import sys, json, numpy as np, pydicom
            before, after = pydicom.dcmread(sys.argv[1]).pixel_array, pydicom.dcmread(sys.argv[2]).pixel_array
            first_same = bool((before[0] == after[0]).all())
            x, y, w, h = json.load(open(sys.argv[3]))[sys.argv[4]]["strings"][0]["box"]
            ink = (before[1][y:y+h, x:x+w] != before[0][y:y+h, x:x+w]).any(axis=-1)
            left = ink & (after[1][y:y+h, x:x+w] == before[1][y:y+h, x:x+w]).all(axis=-1) & (after[1][y:y+h, x:x+w] != 0).any(axis=-1)
            print(first_same, int(left.sum()), str(pydicom.dcmread(sys.argv[2]).BurnedInAnnotation))
            """
        let result = try Processes.run(python, ["-c", check, twoFrames.path, cleaned.appendingPathComponent("two-frames.dcm").path,
                                                work.appendingPathComponent("truth.json").path, String(case_.dropLast(4))])
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "True 0 NO", "frame 1 untouched, the name on frame 2 blanked: \(result.stdoutText) \(result.stderr)")
    }
}
