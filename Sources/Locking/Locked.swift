import Synchronization

/// The toolkit's one lock: Swift's `Mutex`, told to ThreadSanitizer. Mutex waits on a futex in the standard
/// library when the lock is contended, code TSan does not instrument, so without the two annotations it
/// would report races between accesses the lock does order. In builds without `-DTHREAD_SANITIZER`
/// (scripts/sanitize-thread.sh sets it) the annotations compile to nothing.
public final class Locked<Value: ~Copyable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: consuming sending Value) { mutex = Mutex(value) }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            ThreadSanitizer.acquired(self)
            defer { ThreadSanitizer.releasing(self) }
            return try body(&value)
        }
    }
}

/// ThreadSanitizer's manual happens-before annotations, on an object's address.
enum ThreadSanitizer {
    @inline(__always) static func acquired(_ object: AnyObject) {
        #if THREAD_SANITIZER
            tsanAcquire(Unmanaged.passUnretained(object).toOpaque())
        #endif
    }

    @inline(__always) static func releasing(_ object: AnyObject) {
        #if THREAD_SANITIZER
            tsanRelease(Unmanaged.passUnretained(object).toOpaque())
        #endif
    }
}

#if THREAD_SANITIZER
    @_silgen_name("__tsan_acquire") private func tsanAcquire(_ address: UnsafeMutableRawPointer)
    @_silgen_name("__tsan_release") private func tsanRelease(_ address: UnsafeMutableRawPointer)
#endif
