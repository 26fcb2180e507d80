import AtomicOutput
import DicomCore
import Foundation
import Locking
import ToolSupport

/// A batch fed as its inputs arrive: a reader thread takes the feed (a path list may still be coming down a
/// pipe), worker threads process the files in arrival order, each output lands atomically and, with
/// `printPaths`, is synced and its path printed at once for the next tool. When stdout is closed (the next
/// tool stopped), the batch stops taking inputs: those not yet processed are untouched, for a rerun.
final class StreamingBatch: Sendable {
    struct Outcome: Sendable {
        /// Input files fed (collisions included; missing paths are in `failures` only).
        var seen = 0
        var succeeded = 0
        var failures: [String] = []
        var bytesIn = 0
        var bytesOut = 0
        var firstInput: URL?
        /// Why the batch stopped before the end of its inputs.
        var stoppedBecause: String?
    }

    private struct Queue: Sendable {
        var pending: [InputFile] = []
        var head = 0
        var ended = false
        var outcome = Outcome()
        /// Output paths claimed so far: a second input that would land on the same output fails.
        var claimed: [String: String] = [:]
    }

    let destination: FileBatch.Destination
    let printPaths: Bool
    /// The transform names the outputs: names are claimed when it gives them, not from the inputs' paths.
    let namedByTransform: Bool
    let console: Console
    let transform: FileBatch.DetailedTransform
    private let queue = WaitableState(Queue())

    init(destination: FileBatch.Destination, printPaths: Bool, namedByTransform: Bool, console: Console,
         transform: @escaping FileBatch.DetailedTransform) {
        (self.destination, self.printPaths, self.namedByTransform) = (destination, printPaths, namedByTransform)
        (self.console, self.transform) = (console, transform)
    }

    func run(feed: InputFeed, workers: Int) -> Outcome {
        let readerDone = DispatchSemaphore(value: 0)
        Thread { [self] in
            read(feed, backlog: 4 * workers)
            readerDone.signal()
        }.start()
        let finished = DispatchGroup()
        for _ in 0..<workers {
            finished.enter()
            Thread { [self] in
                work()
                finished.leave()
            }.start()
        }
        finished.wait()
        let outcome = queue.withLock { $0.outcome }
        // A reader blocked on a pipe whose writer lives on is not waited for once the batch has stopped.
        if outcome.stoppedBecause == nil { readerDone.wait() }
        return outcome
    }

    /// Feeds the queue, keeping at most `backlog` files waiting (memory stays bounded however long the list).
    private func read(_ feed: InputFeed, backlog: Int) {
        feed.forEach { item in
            let open = queue.wait { $0.outcome.stoppedBecause != nil ? false : $0.pending.count - $0.head < backlog ? true : nil }
            guard open else { return false }
            switch item {
            case .failure(let path, let message):
                console.failure(path, message)
                queue.withLock { $0.outcome.failures.append(path) }
            case .file(let file):
                let first: String? = queue.withLock { queue in
                    queue.outcome.seen += 1
                    if queue.outcome.firstInput == nil { queue.outcome.firstInput = file.url }
                    if !namedByTransform, let first = queue.claimed[file.relativePath] {
                        queue.outcome.failures.append(file.displayPath)
                        return first
                    }
                    if !namedByTransform { queue.claimed[file.relativePath] = file.displayPath }
                    queue.pending.append(file)
                    return nil
                }
                if let first { console.failure(file.displayPath, "output \(file.relativePath) is already written for \(first)") }
            }
            return true
        }
        queue.withLock { $0.ended = true }
    }

    private func work() {
        while true {
            let next: InputFile?? = queue.wait { queue in
                if queue.outcome.stoppedBecause != nil { return .some(nil) }
                if queue.head < queue.pending.count {
                    defer {
                        queue.head += 1
                        if queue.head > 1024 {
                            queue.pending.removeFirst(queue.head)
                            queue.head = 0
                        }
                    }
                    return .some(queue.pending[queue.head])
                }
                return queue.ended ? .some(nil) : nil
            }
            guard let file = next.flatMap({ $0 }) else { return }
            process(file)
        }
    }

    private func process(_ file: InputFile) {
        let started = Date()
        var elapsed: JSONValue { .double((Date().timeIntervalSince(started) * 1000).rounded()) }
        do {
            let inputSize = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
            let object = try DicomObject(contentsOf: file.url)
            let output = try transform(object, file)
            let bytes = try output.object.encoded()
            try output.check?(bytes)
            var event = output.fields
            // A printed path is a promise to the next tool: the output is on disk, folder entry included.
            let durability: AtomicFile.Durability = printPaths ? .immediate : .deferred
            var written: String?
            switch destination {
            case .dryRun:
                break
            case .inPlace:
                try AtomicFile.write(bytes, to: file.url, durability: durability)
                written = file.displayPath
                event["output"] = .string(file.displayPath)
            case .folder(let folder):
                let target = try OutputNaming.destination(for: file, outputFolder: folder!, name: output.relativeName)
                if let name = output.relativeName { try claim(name, for: file.displayPath) }
                try AtomicFile.write(bytes, to: target, durability: durability)
                // Printed as the output folder was written, so that the next tool keeps the layout under it.
                let relative = output.relativeName ?? file.relativePath
                written = folder!.hasSuffix("/") ? folder! + relative : folder! + "/" + relative
                event["output"] = .string(target.path)
            }
            try output.committed?()
            event["path"] = .string(file.displayPath)
            event["status"] = destination.isDryRun ? "checked" : "done"
            event["bytes_in"] = .int(inputSize)
            event["bytes_out"] = .int(bytes.count)
            event["milliseconds"] = elapsed
            console.event(event)
            if printPaths, let written, !console.printPath(written) {
                stop("stdout is closed (the next tool in the pipe stopped): stopping; the inputs not yet processed are untouched, for a rerun")
            }
            let done = queue.withLock { queue in
                queue.outcome.succeeded += 1
                queue.outcome.bytesIn += inputSize
                queue.outcome.bytesOut += bytes.count
                return queue.outcome.succeeded + queue.outcome.failures.count
            }
            console.progress(done: done, total: queue.withLock { $0.outcome.seen })
        } catch {
            console.failure(file.displayPath, "\(error)", fields: ["milliseconds": elapsed])
            queue.withLock { $0.outcome.failures.append(file.displayPath) }
        }
    }

    /// Output names chosen by the transformation (by UID): the second input claiming a name fails.
    private func claim(_ name: String, for input: String) throws(OutputError) {
        let first: String? = queue.withLock { queue in
            if let first = queue.claimed[name] { return first }
            queue.claimed[name] = input
            return nil
        }
        if let first { throw OutputError("output \(name) is already written for \(first)") }
    }

    private func stop(_ reason: String) {
        queue.withLock { if $0.outcome.stoppedBecause == nil { $0.outcome.stoppedBecause = reason } }
    }
}
