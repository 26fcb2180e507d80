function __dcm-anon_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-anon_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dcm-anon_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-anon_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dcm-anon_parse_tokens -S
    set -l unparsed_tokens (__dcm-anon_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dcm-anon'
        __dcm-anon_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'deidentify'
            __dcm-anon_parse_subcommand -r 1 'key-file=' 'random-key' 'map=' 'retain-safe-private' 'retain-uids' 'retain-device-identity' 'retain-institution-identity' 'retain-patient-characteristics' 'retain-full-dates' 'retain-modified-dates' 'clean-descriptors' 'clean-structured-content' 'clean-graphics' 'clean-pixels=' 'accept-burned-in' 'profile=' 'pseudonym-template=' 'assume-charset=' 'dry-run' 'report=' 'no-verify' 'in-place' 'name-by-uid' 'name-by-study' 'allow-readable-key' 'o/output=' 'no-sync' 'print-paths' 'j=' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'reidentify'
            __dcm-anon_parse_subcommand -r 1 'map=' 'o/output=' 'no-sync' 'print-paths' 'j=' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'scan'
            __dcm-anon_parse_subcommand -r 1 'originals=+' 'assume-charset=' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'help'
            __dcm-anon_parse_subcommand -r 1 'version'
        end
    end
end

function __dcm-anon_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dcm-anon_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __dcm-anon_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dcm-anon_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dcm-anon_tokens -p)
    if test -z "$(__dcm-anon_tokens -t)"
        set -l index (count (__dcm-anon_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dcm-anon' -f
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon" -eq 1' -fa 'deidentify' -d 'De-identify objects by PS3.15 Annex E (the default).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon" -eq 1' -fa 'reidentify' -d 'File answers from the expert back under the real patient, from the map.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon" -eq 1' -fa 'scan' -d 'Find identifying values of original objects anywhere in other files.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" key-file' -l 'key-file' -d 'File holding the secret key (at least 16 bytes; e.g. openssl rand -hex 32).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" random-key' -l 'random-key' -d 'Use a one-off random key: pseudonyms nobody can link to anything.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" map' -l 'map' -d 'Map file (CSV, mode 600) recording original -> pseudonym, for reidentify.' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-safe-private' -l 'retain-safe-private' -d 'Retain Safe Private: keep the private attributes of PS3.15 Table E.3.10-1.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-uids' -l 'retain-uids' -d 'Retain UIDs.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-device-identity' -l 'retain-device-identity' -d 'Retain Device Identity.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-institution-identity' -l 'retain-institution-identity' -d 'Retain Institution Identity.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-patient-characteristics' -l 'retain-patient-characteristics' -d 'Retain Patient Characteristics (sex, age, size, weight...).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-full-dates' -l 'retain-full-dates' -d 'Retain Longitudinal Temporal Information with Full Dates.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" retain-modified-dates' -l 'retain-modified-dates' -d 'Retain Longitudinal Temporal Information with Modified Dates: each patient\'s dates move by a keyed number of days.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" clean-descriptors' -l 'clean-descriptors' -d 'Clean Descriptors: keep descriptions minus the object\'s identifying values.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" clean-structured-content' -l 'clean-structured-content' -d 'Clean Structured Content: keep SR content, free text cleaned.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" clean-graphics' -l 'clean-graphics' -d 'Clean Graphics: keep graphic annotations, their text cleaned.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" clean-pixels' -l 'clean-pixels' -d 'Clean Pixel Data in objects with burned-in text: \'auto\' finds the text with OCR (Tesseract) and blanks what identifies, refusing the object if any remains; or YAML rules choosing rectangles to blank.' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" accept-burned-in' -l 'accept-burned-in' -d 'Pass objects with burned-in text through without blanking anything.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" profile' -l 'profile' -d 'YAML profile: options, pseudonym-template and per-attribute overrides.' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" pseudonym-template' -l 'pseudonym-template' -d 'Patient ID and Patient\'s Name pseudonym; {hash} is the keyed part (default ANON{hash}).' -rfka ''
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" assume-charset' -l 'assume-charset' -d 'Specific Character Set of objects that declare none (e.g. \'ISO_IR 100\'; default: ASCII only, others refused).' -rfka ''
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" dry-run' -l 'dry-run' -d 'Change nothing: report what would change.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" report' -l 'report' -d 'JSON lines, one per changed element (file, path, tag, VR, action; never values).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" no-verify' -l 'no-verify' -d 'Skip the search of each output for identifying values of its input.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" in-place' -l 'in-place' -d 'Replace the inputs themselves (atomically).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" name-by-uid' -l 'name-by-uid' -d 'Name outputs <SOP Instance UID>.dcm instead of keeping the inputs\' layout.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" name-by-study' -l 'name-by-study' -d 'Name outputs <Study UID>/<Series UID>/<SOP Instance UID>.dcm (pseudonymized UIDs): no input folder name, which often holds the patient\'s name, reaches the output.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" allow-readable-key' -l 'allow-readable-key' -d 'Accept a key file that group or others can read (refused otherwise).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" o output' -l 'output' -s 'o' -d 'Output folder (\'-\' for stdout with a \'-\' input).' -rfa '(__dcm-anon_complete_directories)'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" no-sync' -l 'no-sync' -d 'Skip the flush to disk at the end of the batch (outputs are still written atomically).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" print-paths' -l 'print-paths' -d 'Print each output\'s path on stdout once it is on disk (for the next tool\'s --files-from -).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" j' -s 'j' -d 'Files processed in parallel (default: the number of cores).' -rfka ''
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon deidentify" -ge 1' -F
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon deidentify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" map' -l 'map' -d 'The map written by dcm-anon --map.' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" o output' -l 'output' -s 'o' -d 'Output folder (\'-\' for stdout with a \'-\' input).' -rfa '(__dcm-anon_complete_directories)'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" no-sync' -l 'no-sync' -d 'Skip the flush to disk at the end of the batch (outputs are still written atomically).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" print-paths' -l 'print-paths' -d 'Print each output\'s path on stdout once it is on disk (for the next tool\'s --files-from -).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" j' -s 'j' -d 'Files processed in parallel (default: the number of cores).' -rfka ''
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon reidentify" -ge 1' -F
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon reidentify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan"' -l 'originals' -d 'Original objects (file or folder; repeatable).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" assume-charset' -l 'assume-charset' -d 'Specific Character Set of objects that declare none (e.g. \'ISO_IR 100\'; default: ASCII only).' -rfka ''
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_positional "dcm-anon scan" -ge 1' -F
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-anon' -n '__dcm-anon_should_offer_completions_for_flags_or_options "dcm-anon help" version' -l 'version' -d 'Show the version.'
