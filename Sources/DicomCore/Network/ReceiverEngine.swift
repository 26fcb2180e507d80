import CDcmtkShim
import Foundation
import Locking

/// The embedded storage SCP as DCMTK runs it (shim_receiver.cpp: own accept loop, limits, access control,
/// streamed and checked storage, file and folder synced before Success). The networking module's
/// `StorageReceiver` configures it; this is the door to DCMTK.
package final class ReceiverEngine: Sendable {
    package struct Settings: Sendable {
        package var aeTitle: String
        package var bindAddress: String?
        package var port: UInt16
        package var outputFolder: String?
        package var maxAssociations: Int
        package var maxPerHost: Int
        package var associationSeconds: Int
        package var idleSeconds: Int
        package var maxPDU: UInt32
        package var maxObjectBytes: UInt64
        /// "AET" or "AET@HOST"; empty accepts any calling AE title.
        package var allow: [String]
        package var tls: ServerTLS?
        /// Only C-ECHO and Storage Commitment reports (a sender's `--commit-listen`): nothing is stored.
        package var commitmentReportsOnly = false
        /// As commitment provider: "AET@HOST:PORT" of the senders whose reports go on a new association.
        package var commitPeers: [String] = []

        package init(
            aeTitle: String, bindAddress: String?, port: UInt16, outputFolder: String?, maxAssociations: Int, maxPerHost: Int,
            associationSeconds: Int, idleSeconds: Int, maxPDU: UInt32, maxObjectBytes: UInt64, allow: [String], tls: ServerTLS?
        ) {
            (self.aeTitle, self.bindAddress, self.port, self.outputFolder) = (aeTitle, bindAddress, port, outputFolder)
            (self.maxAssociations, self.maxPerHost, self.associationSeconds, self.idleSeconds) =
                (maxAssociations, maxPerHost, associationSeconds, idleSeconds)
            (self.maxPDU, self.maxObjectBytes, self.allow, self.tls) = (maxPDU, maxObjectBytes, allow, tls)
        }
    }

    package enum EventKind: Sendable { case info, refusal, error, stored, commitment }

    private let state: Locked<State>
    private let sink: EventSink?

    /// The shim's receiver; it is used only under the mutex.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private struct State: ~Copyable {
        var handle: Handle?
        var stored = 0
        var bytes = 0
    }

    package init(settings: Settings, events: (@Sendable (EventKind, String) -> Void)?) throws(DicomError) {
        DicomLibrary.initialize()
        let sink = events.map(EventSink.init)
        self.sink = sink
        var receiver: OpaquePointer?
        try Shim.call("cannot start the receiver") { error in
            withCStrings(settings.allow) { allow in
              withCStrings(settings.commitPeers) { commitPeers in
                ServerTLS.withShim(settings.tls) { tls in
                    var options = dsh_receiver_options(
                        ae_title: nil, bind_address: nil, port: settings.port, output_folder: nil,
                        max_associations: Int32(settings.maxAssociations), max_per_host: Int32(settings.maxPerHost),
                        association_seconds: Int32(settings.associationSeconds), idle_seconds: Int32(settings.idleSeconds),
                        max_pdu: settings.maxPDU, max_object_bytes: settings.maxObjectBytes, allow: allow,
                        allow_count: settings.allow.count, tls: tls, sink: sink == nil ? nil : receiverEvent,
                        sink_context: sink.map { Unmanaged.passUnretained($0).toOpaque() },
                        commitment_reports_only: settings.commitmentReportsOnly ? 1 : 0, commit_peers: commitPeers,
                        commit_peer_count: settings.commitPeers.count)
                    return settings.aeTitle.withCString { title in
                        options.ae_title = title
                        return withOptionalCString(settings.bindAddress) { bind in
                            options.bind_address = bind
                            return withOptionalCString(settings.outputFolder) { folder in
                                options.output_folder = folder
                                return dsh_receiver_start(&options, &receiver, &error)
                            }
                        }
                    }
                }
              }
            }
        }
        state = Locked(State(handle: Handle(pointer: receiver!)))
    }

    /// Objects received and confirmed so far, and their bytes (final once stopped).
    package var counts: (stored: Int, bytes: Int) {
        state.withLock { state in
            guard let handle = state.handle else { return (state.stored, state.bytes) }
            return (Int(dsh_receiver_stored(handle.pointer)), Int(dsh_receiver_bytes(handle.pointer)))
        }
    }

    /// Stops listening, ends the associations at their next command and waits for them.
    package func stop() {
        state.withLock { state in
            guard let handle = state.handle else { return }
            var stored: UInt64 = 0, bytes: UInt64 = 0
            dsh_receiver_stop(handle.pointer, &stored, &bytes)
            (state.stored, state.bytes, state.handle) = (Int(stored), Int(bytes), nil)
        }
    }

    deinit { stop() }
}

/// Holds the event closure for the C threads; lives as long as the engine that owns it.
private final class EventSink: Sendable {
    let handler: @Sendable (ReceiverEngine.EventKind, String) -> Void
    init(_ handler: @escaping @Sendable (ReceiverEngine.EventKind, String) -> Void) { self.handler = handler }
}

private func receiverEvent(context: UnsafeMutableRawPointer?, kind: Int32, message: UnsafePointer<CChar>?) {
    guard let context, let message else { return }
    let sink = Unmanaged<EventSink>.fromOpaque(context).takeUnretainedValue()
    let kinds: [Int32: ReceiverEngine.EventKind] = [
        Int32(DSH_EVENT_REFUSAL): .refusal, Int32(DSH_EVENT_ERROR): .error, Int32(DSH_EVENT_STORED): .stored,
        Int32(DSH_EVENT_COMMITMENT): .commitment,
    ]
    sink.handler(kinds[kind] ?? .info, String(cString: message))
}
