import ArgumentParser
import ToolSupport

@main
struct DcmAnon: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-anon",
        abstract: "De-identify DICOM objects by PS3.15, keyed so the sender can link answers back.",
        discussion: """
            De-identification (the default subcommand) applies every row of PS3.15 Table E.1-1 (2024b) and \
            the options asked for, replaces UIDs, Patient ID and Patient's Name by keyed pseudonyms, and checks \
            every output for identifying values of its input before writing it. 'reidentify' files the \
            expert's answers back under the real patient from the map; 'scan' looks for leaks in any files.

            \(ExitStatus.helpText)
            """,
        version: ToolkitVersion.current,
        subcommands: [Deidentify.self, Reidentify.self, Scan.self],
        defaultSubcommand: Deidentify.self)
}
