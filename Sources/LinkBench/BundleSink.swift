import DicomCodecs
import Foundation
import LinkEmulation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// The receiving end of the bundle strategy: accepts one TCP connection and unpacks the bundle as it
/// streams in, noting when each file is restored (the files themselves are checked and discarded).
final class BundleSink: Sendable {
    struct Outcome: Sendable {
        let restored: Int
        let failure: String?
    }

    let port: UInt16
    let arrivals = ArrivalRecorder()
    private let listener: Int32
    private let outcome = Locked<Outcome?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init() throws(LinkBenchError) {
        do { (listener, port) = try Sockets.listen() } catch { throw LinkBenchError(error) }
    }

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
            outcome.withLock { $0 = Outcome(restored: count, failure: failure) }
            finished.signal()
        }.start()
    }

    /// Waits for the end of the stream: the files restored and the first failure.
    func wait() -> Outcome {
        finished.wait()
        return outcome.withLock { $0! }
    }
}
