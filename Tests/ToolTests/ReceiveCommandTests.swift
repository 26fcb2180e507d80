import DicomCore
import Foundation
import TestSupport
import Testing

/// `dcm-send --listen` as a process: its memory while large objects and a Deflated bomb arrive, its TLS
/// mode from the command line, and options outside their mode refused.
@Suite struct ReceiveCommandTests {
    /// Peak resident memory of a process, in bytes (VmHWM).
    static func peakMemory(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return (Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? 0) * 1024
    }

    /// A CT object with `pixelBytes` of zero pixels: uncompressed, or Deflated (a few hundred KB that
    /// inflate to the full size), written by hand so that the generator never holds it in memory.
    static let generator = """
        import sys, zlib
        from pydicom.dataset import Dataset, FileMetaDataset
        from pydicom.filewriter import write_dataset, write_file_meta_info
        path, pixel_bytes, deflate = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
        ts = "1.2.840.10008.1.2.1.99" if deflate else "1.2.840.10008.1.2.1"
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = "2.25.%d" % (1000 + pixel_bytes % 997 + (7 if deflate else 0))
        meta.TransferSyntaxUID = ts
        ds = Dataset()
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.Rows, ds.Columns, ds.NumberOfFrames = 1000, 1000, pixel_bytes // 2000000
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit, ds.PixelRepresentation, ds.SamplesPerPixel = 15, 0, 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        from pydicom.filebase import DicomBytesIO
        buffer = DicomBytesIO(); buffer.is_little_endian = True; buffer.is_implicit_VR = False
        write_dataset(buffer, ds)
        element = b"\\xe0\\x7f\\x10\\x00OW\\x00\\x00" + pixel_bytes.to_bytes(4, "little")
        with open(path, "wb") as out:
            out.write(b"\\x00" * 128 + b"DICM")
            meta_buffer = DicomBytesIO(); meta_buffer.is_little_endian = True; meta_buffer.is_implicit_VR = False
            write_file_meta_info(meta_buffer, meta)
            out.write(meta_buffer.getvalue())
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15) if deflate else None
            emit = (lambda b: out.write(compressor.compress(b))) if deflate else out.write
            emit(buffer.getvalue() + element)
            chunk = b"\\x00" * (1 << 20)
            for _ in range(pixel_bytes >> 20): emit(chunk)
            emit(b"\\x00" * (pixel_bytes & ((1 << 20) - 1)))
            if deflate: out.write(compressor.flush())
        """

    @Test func memoryStaysFlatForALargeObjectAndADeflatedBomb() throws {
        let python = try #require(Processes.which("python3")), storescu = try #require(Processes.system("storescu"))
        let work = try TestPaths.temporaryFolder("receive-memory")
        defer { try? FileManager.default.removeItem(at: work) }
        let inbox = work.appendingPathComponent("inbox"), port = Processes.freePort()
        let receiver = try PeerProcess(Processes.binFolder.appendingPathComponent("dcm-send"),
                                       ["--listen", "\(port)", "-q", "-o", inbox.path], port: port)
        defer { receiver.stop() }
        let baseline = try Self.peakMemory(receiver.process.processIdentifier)
        for (name, size, deflate) in [("large", 300_000_000, false), ("bomb", 600_000_000, true)] {
            let file = work.appendingPathComponent("\(name).dcm")
            let made = try Processes.run(python, ["-c", Self.generator, file.path, "\(size)", deflate ? "1" : "0"])
            try #require(made.status == 0, "\(made.stderr)")
            // storescu sends the file in its own transfer syntax (-xd proposes Deflated).
            let sent = try Processes.run(storescu, (deflate ? ["-xd"] : []) + ["-aec", "TELERAD", "127.0.0.1", "\(port)", file.path])
            #expect(sent.status == 0, "\(name): \(sent.stderr)")
            try FileManager.default.removeItem(at: file)
        }
        let peak = try Self.peakMemory(receiver.process.processIdentifier)
        #expect(peak < 100_000_000, "peak resident memory \(peak / 1_000_000) MB (started at \(baseline / 1_000_000) MB)")
        let stored = try FileManager.default.contentsOfDirectory(at: inbox, includingPropertiesForKeys: [.fileSizeKey])
        let sizes = try stored.map { try #require(try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize) }.sorted()
        #expect(sizes.count == 2 && sizes[0] < 5_000_000 && sizes[1] > 300_000_000, "the bomb stays deflated, the large object whole: \(sizes)")
    }

    @Test func aTLSReceiverFromTheCommandLineWithItsPDULimit() throws {
        let openssl = try #require(Processes.system("openssl"))
        let work = try TestPaths.temporaryFolder("receive-tls")
        defer { try? FileManager.default.removeItem(at: work) }
        let key = work.appendingPathComponent("server.key").path, certificate = work.appendingPathComponent("server.crt").path
        #expect(try Processes.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"]).status == 0)
        chmod(key, 0o644)
        let port = Processes.freePort()
        let listen = ["--listen", "\(port)", "-q", "-o", work.appendingPathComponent("in").path, "--tls", "--cert", certificate, "--key", key,
                      "--max-pdu", "4096"]
        let loose = try Processes.tool("dcm-send", listen)
        #expect(loose.status == 2 && loose.stderr.contains("can be read by others (mode 644)"), "\(loose.stderr)")
        chmod(key, 0o600)
        let receiver = try PeerProcess(Processes.binFolder.appendingPathComponent("dcm-send"), listen, port: port)
        defer { receiver.stop() }
        let overTLS = try Processes.tool("dcm-send", ["--echo", "TELERAD@127.0.0.1:\(port)", "--tls", "--ca-file", certificate])
        #expect(overTLS.status == 0, "\(overTLS.stderr)")
        let plain = try Processes.tool("dcm-send", ["--echo", "TELERAD@127.0.0.1:\(port)", "--timeout", "5"])
        #expect(plain.status == 3, "plaintext is refused: \(plain.stderr)")
        let sent = try Processes.tool("dcm-send", ["--tls", "--ca-file", certificate, "TELERAD@127.0.0.1:\(port)",
                                                   TestPaths.dicomSamples.appendingPathComponent("MR2_UNCR.dcm").path])
        #expect(sent.status == 0, "a 2 MB object in 4 KB PDUs: \(sent.stderr)")
    }

    @Test func optionsOutsideTheirModeAreUsageErrors() throws {
        for (arguments, named) in [
            (["--listen", "11999", "-o", "/tmp/x", "--associations", "2"], "--associations"),
            (["--listen", "11999", "-o", "/tmp/x", "--journal", "j"], "--journal"),
            (["--listen", "11999", "-o", "/tmp/x", "--peer-name", "pacs"], "--peer-name"),
            (["--echo", "P@h:1", "--bind", "127.0.0.1"], "--bind"),
            (["--echo", "P@h:1", "--max-object-size", "1G"], "--max-object-size"),
            (["--allow", "CHU", "P@h:1", "x.dcm"], "--allow"),
            (["--idle-timeout", "5", "P@h:1", "x.dcm"], "--idle-timeout"),
            (["--listen", "11999", "-o", "/tmp/x", "--tls"], "--cert"),
        ] {
            let result = try Processes.tool("dcm-send", arguments)
            #expect(result.status == 2 && result.stderr.contains(named), "\(arguments): \(result.stderr)")
        }
    }

    /// A second run on a journal in use says so and exits 2, sending nothing.
    @Test func aJournalInUseIsRefused() throws {
        let work = try TestPaths.temporaryFolder("journal-lock")
        defer { try? FileManager.default.removeItem(at: work) }
        let journal = work.appendingPathComponent("journal").path
        let held = open(journal, O_RDWR | O_CREAT, 0o600)
        defer { close(held) }
        #expect(flock(held, LOCK_EX) == 0)
        let result = try Processes.tool("dcm-send", ["--journal", journal, "P@127.0.0.1:\(Processes.freePort())",
                                                     TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path])
        #expect(result.status == 2 && result.stderr.contains("is in use by another run"), "\(result.stderr)")
    }
}
