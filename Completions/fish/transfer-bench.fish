function __transfer-bench_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __transfer-bench_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __transfer-bench_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __transfer-bench_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __transfer-bench_parse_tokens -S
    set -l unparsed_tokens (__transfer-bench_tokens -pc)
    switch $unparsed_tokens[1]
    case 'transfer-bench'
        __transfer-bench_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'make-study'
            __transfer-bench_parse_subcommand 0 'protocol=' 'scale=' 'seed=' 'o/output=' 'j=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'run'
            __transfer-bench_parse_subcommand 0 'study=' 'scale=' 'seed=' 'link=' 'peer=' 'associations=' 'strategy=+' 'pace=' 'scenario=' 'reference=' 'record=' 'label=' 'runs=' 'csv=' 'chart=' 'calling-aet=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'probe'
            __transfer-bench_parse_subcommand 1 'echoes=' 'bulk-images=' 'no-bulk' 'associations=' 'calling-aet=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'shape'
            __transfer-bench_parse_subcommand 0 'link=' 'to=' 'listen=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'presets'
            __transfer-bench_parse_subcommand 0 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'plot'
            __transfer-bench_parse_subcommand -r 1 'o/output=' 'strategy=+' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'help'
            __transfer-bench_parse_subcommand -r 1 'version'
        end
    end
end

function __transfer-bench_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __transfer-bench_parse_subcommand -S -a positional_count
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

function __transfer-bench_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __transfer-bench_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__transfer-bench_tokens -p)
    if test -z "$(__transfer-bench_tokens -t)"
        set -l index (count (__transfer-bench_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'transfer-bench' -f
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'make-study' -d 'Generate a synthetic study with realistic headers and CT-like pixels.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'run' -d 'Send a study through every strategy over a link and measure each.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'probe' -d 'Measure a real DICOM peer and recommend settings for its link.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'shape' -d 'Put the emulated link in front of any TCP service, until Ctrl-C.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'presets' -d 'List the named links (--link PRESET) with their figures and sources.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'plot' -d 'Draw recorded runs as SVG: throughput over time, images arrived, per-image latency (CDF).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" protocol' -l 'protocol' -d 'Study protocol: stroke.' -rfka 'stroke'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" scale' -l 'scale' -d 'Size relative to the full protocol (0.01 gives 1 + 4 + 10 images).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" seed' -l 'seed' -d 'Seed: the same seed gives the same study, byte for byte.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" o output' -l 'output' -s 'o' -d 'Output folder.' -rfa '(__transfer-bench_complete_directories)'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" j' -s 'j' -d 'Images generated in parallel (default: the number of cores).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench make-study" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" study' -l 'study' -d 'Study folder (default: a generated stroke study, see --scale).' -rfa '(__transfer-bench_complete_directories)'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" scale' -l 'scale' -d 'Size of the generated stroke study (0.02 gives 1 + 8 + 20 images).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" seed' -l 'seed' -d 'Seed of the generated study and of the link\'s jitter and faults.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" link' -l 'link' -d 'Link to emulate, RATE/RTT[/option...] or a preset, e.g. 10mbit/100ms or 4g (default: loopback as it is).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" peer' -l 'peer' -d 'A real DICOM peer instead of the embedded receiver.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" associations' -l 'associations' -d 'Associations of the parallel strategies, or auto (dcm-send --associations auto).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run"' -l 'strategy' -d 'These strategies (repeatable): raw, jpeg-ls, bundle, stream, pipeline (default: raw, jpeg-ls and bundle; stream and pipeline with --pace).' -rfka 'raw jpeg-ls bundle stream pipeline'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" pace' -l 'pace' -d 'Release the images at this rate, in acquisition order (series, then image), as a scanner does (stream and pipeline only; default: all at once).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" scenario' -l 'scenario' -d 'A clinical scenario: stroke (the stroke protocol at the scanner\'s pace, streamed; when each series is complete).' -rfka 'stroke'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" reference' -l 'reference' -d 'Also run each DICOM strategy over the kernel\'s shaping (tbf on a veth pair between namespaces; root).' -rfka 'kernel'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" record' -l 'record' -d 'Keep every run\'s series over time and the metadata in this gzipped JSON file (for transfer-bench plot).' -rF
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" label' -l 'label' -d 'What the runs are called in the record and on plots (default: the link).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" runs' -l 'runs' -d 'Runs of each strategy (median and spread are reported).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" csv' -l 'csv' -d 'Also write the per-strategy results as CSV.' -rF
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" chart' -l 'chart' -d 'Also draw the results as SVG: total time per strategy and arrival curves.' -rF
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" calling-aet' -l 'calling-aet' -d 'Our AE title towards a peer.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" echoes' -l 'echoes' -d 'C-ECHO round trips to time.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" bulk-images' -l 'bulk-images' -d 'Images of the bulk send (generated 512x512 CT, about 0.5 MB each).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" no-bulk' -l 'no-bulk' -d 'Only the round trips: store nothing on the peer.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" associations' -l 'associations' -d 'Associations of the parallel bulk send.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" calling-aet' -l 'calling-aet' -d 'Our AE title.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" link' -l 'link' -d 'The link: RATE/RTT[/jitter=D][/drop-after=SIZE][/drop=P%], e.g. 10mbit/100ms, or a preset (4g, 4g-evening, fibre, island-radio, lan, radio, sat-384k, satellite, t1).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" to' -l 'to' -d 'Where to relay to.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" listen' -l 'listen' -d 'Port to listen on (0: any free port).' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench shape" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench presets" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench presets"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench presets" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench presets" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench presets" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_positional "transfer-bench plot" -ge 1' -F
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot" o output' -l 'output' -s 'o' -d 'The SVG file to write (default: standard output).' -rF
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot"' -l 'strategy' -d 'Only these strategies, as the report names them (repeatable), e.g. \'raw x4\'.' -rfka ''
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot" version' -l 'version' -d 'Show the version.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench plot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench help" version' -l 'version' -d 'Show the version.'
