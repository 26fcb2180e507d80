import DicomCodecs
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The receiving end of the bundle strategy: accepts one TCP connection and unpacks the bundle as it
/// streams in, noting when each file is restored (the files themselves are checked and discarded).
final class BundleSink: @unchecked Sendable {
    let port: UInt16
    let arrivals = ArrivalRecorder()
    private let listener: Int32
    private let done = NSCondition()
    private var restored = 0
    private var finished = false
    private(set) var failure: String?

    init() throws(LinkBenchError) { (listener, port) = try Sockets.listen() }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    func start(at start: Double) {
        Thread { [self] in
            let connection = accept(listener, nil, nil)
            var count = 0
            var failure: String?
            if connection >= 0 {
                let handle = FileHandle(fileDescriptor: connection, closeOnDealloc: true)
                do {
                    try BundleUnpacker.unpack(from: handle, jobs: ProcessInfo.processInfo.activeProcessorCount) { file in
                        if case .failure(let error) = file.result { failure = failure ?? "\(file.path): \(error)" }
                        count += 1
                        arrivals.add(Clock.now() - start)
                    }
                } catch { failure = "bundle: \(error)" }
            } else {
                failure = "bundle: accept failed"
            }
            done.lock()
            (restored, self.failure, finished) = (count, failure, true)
            done.broadcast()
            done.unlock()
        }.start()
    }

    /// Waits for the end of the stream; returns the number of files restored.
    func wait() -> Int {
        done.lock()
        while !finished { done.wait() }
        done.unlock()
        return restored
    }
}
