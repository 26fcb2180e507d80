import ArgumentParser
import DicomCore
import DicomNetwork
import Foundation
import Locking
import ToolSupport

/// dcm-send's store job with the toolkit's conventions: one event per file, one line per failure, a
/// summary, and an exit code that never claims what did not happen.
enum SendJob {
    static func run(
        options: StoreSender.Options, inputs: InputOptions, idleReleaseSeconds: Double, commitment: StorageCommitment.Settings?, console: Console
    ) -> ExitCode {
        var options = options
        options.collectConfirmed = commitment != nil
        if inputs.filesFrom != nil {
            return stream(options: options, inputs: inputs, idleReleaseSeconds: idleReleaseSeconds, commitment: commitment, console: console)
        }
        let expanded = InputExpander.expand(inputs)
        for failure in expanded.failures { console.failure(failure.path, failure.message) }
        if let status = expanded.statusWhenEmpty(inputs, console: console) { return status }
        let items = expanded.files.map { StoreSender.Item(url: $0.url, displayPath: $0.displayPath) }
        let done = Counter()
        let summary: StoreSender.Summary
        do {
            summary = try StoreSender(options: options).send(items, notice: notice(console)) { item, outcome in
                report(item, outcome, console: console)
                console.progress(done: done.increment(), total: items.count)
            }
        } catch {
            console.error(error.message)
            return error.kind == .inUse ? ExitStatus.usage : ExitStatus.someFailed
        }
        let custody = commitment.map { commit(summary, options: options, settings: $0, console: console) }
        return conclude(summary, custody: custody, files: items.count, unreadable: expanded.failures.count, console: console)
    }

    /// A list that may still be coming (--files-from): each file goes to the first free association as its
    /// line arrives.
    static func stream(
        options: StoreSender.Options, inputs: InputOptions, idleReleaseSeconds: Double, commitment: StorageCommitment.Settings?, console: Console
    ) -> ExitCode {
        let fed = Counter(), unreadable = Counter()
        let summary: StoreSender.Summary
        var options = options
        options.collectConfirmed = false  // the stream's committer takes them as they come
        let peer = options.peer
        do {
            summary = try StoreSender(options: options).send(streaming: { enqueue in
                InputFeed(inputs).forEach { input in
                    switch input {
                    case .file(let file):
                        _ = fed.increment()
                        enqueue(StoreSender.Item(url: file.url, displayPath: file.displayPath))
                    case .failure(let path, let message):
                        _ = unreadable.increment()
                        console.failure(path, message)
                    }
                    return true
                }
            }, idleReleaseSeconds: idleReleaseSeconds, commitment: commitment.map { StorageCommitment(sender: options, settings: $0) },
               notice: notice(console), commitReport: { item, uid, outcome in reportCustody(item, uid, outcome, peer: peer, console: console) }
            ) { item, outcome in report(item, outcome, console: console) }
        } catch {
            console.error(error.message)
            return error.kind == .inUse ? ExitStatus.usage : ExitStatus.someFailed
        }
        if fed.value == 0 && unreadable.value == 0 && inputs.paths.isEmpty && commitment == nil {
            console.info("nothing to do: the list of files is empty")
            return ExitStatus.success
        }
        return conclude(summary, custody: summary.custody, files: fed.value, unreadable: unreadable.value, console: console)
    }

    /// --commit after a list: what the peer confirmed, and the journal's unanswered requests, asked to
    /// commit. Counts `couldNotAsk` when the peer could not be asked (said on stderr).
    static func commit(
        _ summary: StoreSender.Summary, options: StoreSender.Options, settings: StorageCommitment.Settings, console: Console
    ) -> StorageCommitment.Summary {
        do throws(DicomError) {
            let journal = try options.journal.map { (url) throws(DicomError) in try StoreJournal(url: url, destination: options.peer) }
            defer { journal?.close() }
            return try StorageCommitment(sender: options, settings: settings).commit(summary.confirmed, journal: journal,
                                                                                   notice: notice(console)) { item, uid, outcome in
                reportCustody(item, uid, outcome, peer: options.peer, console: console)
            }
        } catch {
            console.error("storage commitment with \(options.peer): \(error.message)")
            var unasked = StorageCommitment.Summary()
            unasked.couldNotAsk = true
            return unasked
        }
    }

    /// One instance's commitment: an event, and a line when the archive refused it.
    static func reportCustody(_ item: StoreSender.Item?, _ uid: String, _ outcome: StorageCommitment.Outcome, peer: PeerAddress, console: Console) {
        let path = item?.displayPath ?? uid
        var event: [String: JSONValue] = ["path": .string(path), "sop_instance_uid": .string(uid)]
        switch outcome {
        case .committed(let removed):
            event["status"] = "committed"
            event["removed"] = .bool(removed)
        case .failed(let reason):
            event["status"] = "commit_failed"
            event["error"] = .string(reason)
            console.error("\(path): not committed by \(peer): \(reason); sent again by the next run")
        case .pending:
            event["status"] = "commit_pending"
        }
        console.event(event)
    }

    /// The sender's notices (the peer held or back, the associations chosen): a line on stderr unless --quiet.
    static func notice(_ console: Console) -> @Sendable (String) -> Void { { console.info("dcm-send: " + $0) } }

    /// One file's outcome: an event, a line for a failure or a warning.
    static func report(_ item: StoreSender.Item, _ outcome: StoreSender.Outcome, console: Console) {
        switch outcome {
        case .stored(let uid, let status, let syntax, let bytes, let milliseconds, let original):
            var event: [String: JSONValue] = [
                "path": .string(item.displayPath), "sop_instance_uid": .string(uid), "status": "stored",
                "bytes": .int(bytes), "syntax": .string(syntax.uid), "milliseconds": .double(milliseconds),
            ]
            if original != syntax {
                event["transcoded_from"] = .string(original.uid)
                console.info("\(item.displayPath): the peer does not accept \(original.name); sent as \(syntax.name)")
            }
            if status != 0 {
                event["warning"] = .string(String(format: "0x%04X", status))
                console.info("\(item.displayPath): stored with warning status " + String(format: "0x%04X", status))
            }
            console.event(event)
        case .skipped(let uid):
            console.event(["path": .string(item.displayPath), "sop_instance_uid": .string(uid), "status": "skipped"])
        case .failed(let message):
            console.failure(item.displayPath, message)
        }
    }

    /// The summary and the exit code, which never claims what did not happen.
    /// `custody`: --commit's outcome.
    static func conclude(
        _ summary: StoreSender.Summary, custody: StorageCommitment.Summary? = nil, files: Int, unreadable: Int, console: Console
    ) -> ExitCode {
        let megabytes = Double(summary.bytes) / 1e6
        let failed = summary.failed + unreadable
        var fields: [String: JSONValue] = [
            "files": .int(files + unreadable), "stored": .int(summary.stored), "skipped": .int(summary.skipped),
            "failed": .int(failed), "bytes": .int(summary.bytes), "seconds": .double(summary.seconds),
            "mb_per_second": .double(megabytes / max(summary.seconds, 1e-9)),
            "images_per_second": .double(Double(summary.stored) / max(summary.seconds, 1e-9)),
            "retries": .int(summary.retries), "associations": .int(summary.associations),
        ]
        var human = String(format: "%d stored, %d already confirmed, %d failed; %.1f MB in %.2f s (%.1f MB/s, %.0f images/s), %d retries, %d associations",
                           summary.stored, summary.skipped, failed, megabytes, summary.seconds, megabytes / max(summary.seconds, 1e-9),
                           Double(summary.stored) / max(summary.seconds, 1e-9), summary.retries, summary.associations)
        var custodyComplete = true
        if let counts = custody {
            fields["committed"] = .int(counts.committed)
            fields["commit_failed"] = .int(counts.failed)
            fields["commit_pending"] = .int(counts.pending)
            fields["removed"] = .int(counts.removed)
            human += "; \(counts.committed) committed, \(counts.failed) not committed, \(counts.pending) without an answer"
            if counts.removed > 0 { human += ", \(counts.removed) local files removed" }
            custodyComplete = !counts.couldNotAsk && counts.failed == 0 && counts.pending == 0
        }
        console.summary(fields, human: human)
        if failed == 0 && custodyComplete { return ExitStatus.success }
        if failed == 0 { return ExitStatus.someFailed }
        // Nothing reached the peer because it could not be reached: say so with the connection code.
        return summary.connectionFailed && summary.stored == 0 ? ExitStatus.connection : ExitStatus.someFailed
    }
}

private final class Counter: Sendable {
    private let count = Locked(0)
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}
