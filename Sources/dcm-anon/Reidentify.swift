import ArgumentParser
import Deidentification
import Foundation
import DicomToolSupport
import ToolSupport

struct Reidentify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "File answers from the expert back under the real patient, from the map.",
        discussion: """
            Takes objects that come back from the expert (reports, presentation states, segmentations that \
            reference the pseudonymized study) and restores every UID found in the map at any depth, the \
            patient's identifying attributes and the study's (accession, study ID, date, time, description). \
            Objects that reference nothing in the map are refused.
            """)

    @Option(help: ArgumentHelp("The map written by dcm-anon --map.", valueName: "file"), completion: .file())
    var map: String

    @OptionGroup var output: OutputFolderOptions

    @OptionGroup var parallel: FileJobsOptions

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-anon", options: common)
        let reidentifier: Reidentifier
        do { reidentifier = Reidentifier(records: try PseudonymMap.read(path: map)) } catch {
            console.error("\(error)")
            throw ExitStatus.usage
        }
        throw FileBatch.run(inputs: inputs, output: output, console: console, jobs: parallel.jobs) { object, _ in
            // The originals go back as characters, in the answer's own character set (or UTF-8, declared,
            // when a name does not fit there).
            let characterSet = try object.decodeText()
            let outcome = try reidentifier.reidentify(object)
            try object.encodeText(as: characterSet)
            return (object, ["uids_restored": .int(outcome.uidsRestored), "patient_restored": .bool(outcome.patientRestored)])
        }
    }
}
