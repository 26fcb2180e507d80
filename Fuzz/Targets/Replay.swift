// dicom-fuzz TARGET [libFuzzer options] [CORPUS_DIR... | FILE...]
//
// Built by scripts/fuzz.sh (`--sanitize=fuzzer -DFUZZING`) this is a libFuzzer binary whose main is
// libFuzzer's (Entry.swift). In an ordinary build this runs the target once over each FILE given, which
// replays a finding without the fuzzing build.
#if !FUZZING
import Foundation

@main enum Replay {
    static func main() {
        guard selectTarget(CommandLine.arguments.dropFirst().first) else { exit(2) }
        var unreadable = 0
        for path in CommandLine.arguments.dropFirst(2) {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("dicom-fuzz: \(path): cannot read\n".utf8))
                unreadable += 1
                continue
            }
            [UInt8](data).withUnsafeBufferPointer { _ = fuzzOneInput($0.baseAddress, $0.count) }
        }
        exit(unreadable == 0 ? 0 : 1)
    }
}
#endif
