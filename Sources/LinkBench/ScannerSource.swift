import DicomCore
import Foundation
import LinkEmulation
import Locking

/// A study's images released as a scanner would hand them on: in acquisition order (series folder, then
/// file: the non-contrast CT, the angiography, the perfusion), all at once (the study already on disk) or
/// `imagesPerSecond`. Each image's path goes into a pipe when it is released; the time is kept by SOP
/// Instance UID, so that its arrival at the expert can be timed from that moment.
final class ScannerSource: Sendable {
    let images: [(url: URL, uid: String)]
    let imagesPerSecond: Double?
    private let released = Locked<[String: Double]>([:])

    init(study files: [URL], imagesPerSecond: Double?) throws(LinkBenchError) {
        var images: [(URL, String)] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            do {
                guard let uid = try DicomObject(contentsOf: file).string(.sopInstanceUID) else {
                    throw LinkBenchError("\(file.path): no SOP Instance UID")
                }
                images.append((file, uid))
            } catch let error as LinkBenchError {
                throw error
            } catch {
                throw LinkBenchError("\(file.path): \(error)")
            }
        }
        (self.images, self.imagesPerSecond) = (images, imagesPerSecond)
    }

    /// Writes each path and a newline into `pipe` at its time after `start` (on a thread of its own), then
    /// closes it: the end of the input.
    func release(into pipe: Pipe, start: Double) -> Thread {
        released.withLock { $0 = [:] }
        let thread = Thread { [self] in
            let handle = pipe.fileHandleForWriting
            for (index, image) in images.enumerated() {
                if let imagesPerSecond { Clock.sleep(until: start + Double(index) / imagesPerSecond) }
                let time = Clock.now() - start
                released.withLock { $0[image.uid] = time }
                do { try handle.write(contentsOf: Data((image.url.path + "\n").utf8)) } catch { break }  // the reader died
            }
            try? handle.close()
        }
        thread.start()
        return thread
    }

    /// When each series (the images' folder) was complete at the expert, in acquisition order.
    func seriesCompletions(arrived: [String: Double]) -> [SeriesCompletion] {
        var order: [String] = [], last: [String: Double?] = [:], counts: [String: Int] = [:]
        for image in images {
            let series = image.url.deletingLastPathComponent().lastPathComponent
            if counts[series] == nil { order.append(series) }
            counts[series, default: 0] += 1
            let arrival = arrived[image.uid]
            let sofar = last[series] ?? 0.0
            last[series] = arrival.flatMap { time in sofar.map { max($0, time) } }
        }
        return order.map { SeriesCompletion(series: $0, images: counts[$0]!, seconds: last[$0]!) }
    }

    /// Seconds after the start at which each image was released, by SOP Instance UID.
    var releaseTimes: [String: Double] { released.withLock { $0 } }
}
