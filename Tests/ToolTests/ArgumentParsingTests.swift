import ArgumentParser
import DicomNetwork
import LinkEmulation
import Quantities
import Testing

@testable import dcm_compress
@testable import dcm_send
@testable import transfer_bench

/// The command lines parsed in process, as swift-argument-parser's own tests do: typed values come out
/// parsed once (peers, links, rates, sizes), refused values are usage errors, and one rate parser reads
/// rates everywhere.
struct ArgumentParsingTests {
    /// The usage error a parse throws, as the tool prints it (nil when the arguments parse).
    static func usageError<Command: ParsableCommand>(_ command: Command.Type, _ arguments: [String]) -> String? {
        do {
            _ = try command.parse(arguments)
            return nil
        } catch {
            #expect(command.exitCode(for: error) == .validationFailure, "\(arguments): \(error)")
            return command.message(for: error)
        }
    }

    @Test(arguments: [
        ("10mbit", 10e6), ("10Mbit", 10e6), ("2.5gbit/s", 2.5e9), ("500kbps", 500e3), ("100Mbps", 100e6), ("64000bit", 64e3),
        ("1Tbit", 1e12),
    ])
    func ratesInBits(_ text: String, _ bits: Double) {
        #expect(BitRate(text)?.bitsPerSecond == bits)
    }

    /// Bytes, a missing unit, the ambiguous lowercase "mb", negative, zero and words are refused.
    @Test(arguments: ["10MB", "10MBps", "10mb", "10", "-3Mbit", "0mbit", "fast", "mbit", ""])
    func notRates(_ text: String) {
        #expect(BitRate(text) == nil)
    }

    @Test func ratesPrintAsLinksAreWritten() {
        #expect(BitRate(bitsPerSecond: 10e6).description == "10mbit")
        #expect(BitRate(bitsPerSecond: 2.5e9).description == "2.5gbit")
        #expect(BitRate(bitsPerSecond: 512e3).description == "512kbit")
    }

    @Test func linksAndRatesShareTheParser() throws {
        let run = try Run.parse(["--link", "20Mbit/40ms/jitter=5ms"])
        #expect(run.link?.rateBitsPerSecond == 20e6 && run.link?.roundTripSeconds == 0.040 && run.link?.jitterSeconds == 0.005)
        #expect(try Run.parse(["--link", "satellite"]).link?.roundTripSeconds == 0.6)
        #expect(Self.usageError(Run.self, ["--link", "10MB/100ms"])?.contains("--link") == true)
        #expect(Self.usageError(Run.self, ["--link", "10mbit"]) != nil, "a rate without RTT")

        let transcode = try Transcode.parse(["--auto", "--link-rate", "10Mbit", "study"])
        #expect(transcode.linkRate?.bitsPerSecond == 10e6)
        #expect(Self.usageError(Transcode.self, ["--auto", "--link-rate", "10MB", "study"])?.contains("--link-rate") == true)
    }

    @Test func packetLossIsRefusedNotPretended() {
        let message = Self.usageError(Run.self, ["--link", "10mbit/40ms/loss=1%"])
        #expect(message?.contains("TCP relay") == true, "\(message ?? "parsed")")
        #expect(Self.usageError(Run.self, ["--netem"]) != nil, "--netem is gone")
        #expect(Self.usageError(Shape.self, ["--link", "4g/loss=0.5%", "--to", "pacs:104"]) != nil)
    }

    @Test func peersAndRelayTargetsAreTyped() throws {
        let run = try Run.parse(["--peer", "PACS@pacs.example:104"])
        #expect(run.peer == PeerAddress("PACS@pacs.example:104"))
        #expect(Self.usageError(Run.self, ["--peer", "pacs.example:104"]) != nil)
        #expect(try Probe.parse(["ARCHIVE@10.0.0.5:11112"]).peer.port == 11112)

        let shape = try Shape.parse(["--link", "satellite", "--to", "[::1]:104"])
        #expect(shape.to.host == "::1" && shape.to.port == 104)
        #expect(Self.usageError(Shape.self, ["--link", "satellite", "--to", "pacs"]) != nil)
        #expect(Self.usageError(Shape.self, ["--link", "satellite", "--to", "pacs:0"]) != nil)
    }

    @Test func lossyTakesNearN() throws {
        #expect(try Transcode.parse(["--lossy", "NEAR=3", "study"]).lossy?.near == 3)
        #expect(Self.usageError(Transcode.self, ["--lossy", "NEAR=0", "study"]) != nil)
        #expect(Self.usageError(Transcode.self, ["--lossy", "3", "study"]) != nil)
    }

    @Test func sendersSizesAndPeersAreTyped() throws {
        let send = try DcmSend.parse(["--listen", "11112", "--aet", "ISLAND", "-o", "inbox", "--max-object-size", "2G"])
        #expect(send.maxObjectSize?.bytes == 2 << 30)
        let urgent = try DcmSend.parse(["--urgent", "StudyDescription~AVC|STROKE", "--urgent", "Modality=CT", "HUB@hub:104", "study"])
        #expect(urgent.urgent.map(\.description) == ["StudyDescription~AVC|STROKE", "Modality=CT"])
        #expect(Self.usageError(DcmSend.self, ["--urgent", "Colour=red", "HUB@hub:104", "study"]) != nil, "an unknown keyword")
        #expect(Self.usageError(DcmSend.self, ["--listen", "11112", "--aet", "ISLAND", "-o", "inbox", "--max-object-size", "2X"]) != nil)
    }
}
