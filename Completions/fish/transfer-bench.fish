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
complete -c 'transfer-bench' -n '__transfer-bench_should_offer_completions_for_flags_or_options "transfer-bench help" version' -l 'version' -d 'Show the version.'
