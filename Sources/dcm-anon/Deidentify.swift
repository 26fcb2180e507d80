import ArgumentParser
import Deidentification
import Foundation
import DicomToolSupport
import ToolSupport

struct Deidentify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "De-identify objects by PS3.15 Annex E (the default).",
        discussion: """
            Every row of Table E.1-1 applies at every depth of every sequence, to the file meta information \
            and to elements of VR UN; private elements go unless --retain-safe-private keeps those of Table \
            E.3.10-1. UIDs become 2.25.<128 bits of HMAC-SHA256(key, UID)>, so references stay intact and a \
            study stays one study; Patient ID and Patient's Name become keyed pseudonyms. The key comes from \
            --key-file or the DCM_ANON_KEY environment variable and is never printed; without one the tool \
            refuses to run unless --random-key. Objects with burned-in text (Burned In Annotation YES, \
            ultrasound, secondary captures) are refused unless --clean-pixels or --accept-burned-in. Each \
            output is searched for every identifying value of its input before it is written (--no-verify \
            skips this); a hit fails the file and writes nothing.
            """)

    @Option(help: ArgumentHelp("File holding the secret key (at least 16 bytes; e.g. openssl rand -hex 32).", valueName: "file"),
            completion: .file())
    var keyFile: String?

    @Flag(help: "Use a one-off random key: pseudonyms nobody can link to anything.")
    var randomKey = false

    @Option(help: ArgumentHelp("Map file (CSV, mode 600) recording original -> pseudonym, for reidentify.", valueName: "file"),
            completion: .file())
    var map: String?

    @Flag(help: "Retain Safe Private: keep the private attributes of PS3.15 Table E.3.10-1.")
    var retainSafePrivate = false
    @Flag(name: .customLong("retain-uids"), help: "Retain UIDs.")
    var retainUIDs = false
    @Flag(help: "Retain Device Identity.")
    var retainDeviceIdentity = false
    @Flag(help: "Retain Institution Identity.")
    var retainInstitutionIdentity = false
    @Flag(help: "Retain Patient Characteristics (sex, age, size, weight...).")
    var retainPatientCharacteristics = false
    @Flag(help: "Retain Longitudinal Temporal Information with Full Dates.")
    var retainFullDates = false
    @Flag(help: "Retain Longitudinal Temporal Information with Modified Dates: each patient's dates move by a keyed number of days.")
    var retainModifiedDates = false
    @Flag(help: "Clean Descriptors: keep descriptions minus the object's identifying values.")
    var cleanDescriptors = false
    @Flag(help: "Clean Structured Content: keep SR content, free text cleaned.")
    var cleanStructuredContent = false
    @Flag(help: "Clean Graphics: keep graphic annotations, their text cleaned.")
    var cleanGraphics = false

    @Option(help: ArgumentHelp("Clean Pixel Data in objects with burned-in text: 'auto' finds the text with OCR (Tesseract) and blanks what identifies, refusing the object if any remains; or YAML rules choosing rectangles to blank.",
                               valueName: "auto|rules"), completion: .file())
    var cleanPixels: String?

    @Flag(help: "Pass objects with burned-in text through without blanking anything.")
    var acceptBurnedIn = false

    @Option(help: ArgumentHelp("YAML profile: options, pseudonym-template and per-attribute overrides.", valueName: "file"),
            completion: .file())
    var profile: String?

    @Option(help: ArgumentHelp("Patient ID and Patient's Name pseudonym; {hash} is the keyed part (default ANON{hash}).",
                               valueName: "template"))
    var pseudonymTemplate: String?

    @Option(help: ArgumentHelp("Specific Character Set of objects that declare none (e.g. 'ISO_IR 100'; default: ASCII only, others refused).",
                               valueName: "term"))
    var assumeCharset: String?

    @Flag(help: "Change nothing: report what would change.")
    var dryRun = false

    @Option(help: ArgumentHelp("JSON lines, one per changed element (file, path, tag, VR, action; never values).",
                               valueName: "file"), completion: .file())
    var report: String?

    @Flag(help: "Skip the search of each output for identifying values of its input.")
    var noVerify = false

    @Flag(help: "Replace the inputs themselves (atomically).")
    var inPlace = false

    @Flag(help: "Name outputs <SOP Instance UID>.dcm instead of keeping the inputs' layout.")
    var nameByUID = false

    @Flag(help: "Name outputs <Study UID>/<Series UID>/<SOP Instance UID>.dcm (pseudonymized UIDs): no input folder name, which often holds the patient's name, reaches the output.")
    var nameByStudy = false

    @Flag(help: "Accept a key file that group or others can read (refused otherwise).")
    var allowReadableKey = false

    @OptionGroup var output: OutputFolderOptions

    @OptionGroup var parallel: FileJobsOptions

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if retainFullDates && retainModifiedDates { throw ValidationError("--retain-full-dates and --retain-modified-dates exclude each other") }
        if cleanPixels != nil && acceptBurnedIn { throw ValidationError("--clean-pixels and --accept-burned-in exclude each other") }
        if keyFile != nil && randomKey { throw ValidationError("--key-file and --random-key exclude each other") }
        if inPlace && output.output != nil { throw ValidationError("--in-place writes over the inputs: drop -o") }
        if inPlace && dryRun { throw ValidationError("--in-place and --dry-run exclude each other") }
        if nameByUID && nameByStudy { throw ValidationError("--name-by-uid and --name-by-study exclude each other") }
        if inPlace && (nameByUID || nameByStudy) { throw ValidationError("--in-place keeps the inputs' names") }
        if let pseudonymTemplate, !pseudonymTemplate.contains("{hash}") {
            throw ValidationError("--pseudonym-template must contain {hash}")
        }
    }

    var outputLayout: OutputLayout { nameByStudy ? .study : nameByUID ? .instance : .input }

    var chosenOptions: Set<ProfileOption> {
        let flags: [(Bool, ProfileOption)] = [
            (retainSafePrivate, .retainSafePrivate), (retainUIDs, .retainUIDs), (retainDeviceIdentity, .retainDeviceIdentity),
            (retainInstitutionIdentity, .retainInstitutionIdentity), (retainPatientCharacteristics, .retainPatientCharacteristics),
            (retainFullDates, .retainLongitudinalFullDates), (retainModifiedDates, .retainLongitudinalModifiedDates),
            (cleanDescriptors, .cleanDescriptors), (cleanStructuredContent, .cleanStructuredContent), (cleanGraphics, .cleanGraphics),
        ]
        return Set(flags.filter(\.0).map(\.1))
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-anon", options: common)
        throw DeidentifyJob(command: self, console: console).run()
    }
}
