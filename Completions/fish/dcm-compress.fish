function __dcm-compress_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-compress_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dcm-compress_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-compress_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dcm-compress_parse_tokens -S
    set -l unparsed_tokens (__dcm-compress_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dcm-compress'
        __dcm-compress_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'transcode'
            __dcm-compress_parse_subcommand -r 1 'codec=' 'auto' 'link-rate=' 'lossy=' 'no-verify' 'o/output=' 'no-sync' 'print-paths' 'j=' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'pack'
            __dcm-compress_parse_subcommand -r 1 'o/output=' 'level=' 'j=' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'unpack'
            __dcm-compress_parse_subcommand 1 'o/output=' 'j=' 'max-output-size=' 'max-ratio=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'help'
            __dcm-compress_parse_subcommand -r 1 'version'
        end
    end
end

function __dcm-compress_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dcm-compress_parse_subcommand -S -a positional_count
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

function __dcm-compress_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dcm-compress_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dcm-compress_tokens -p)
    if test -z "$(__dcm-compress_tokens -t)"
        set -l index (count (__dcm-compress_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dcm-compress' -f
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress" -eq 1' -fa 'transcode' -d 'Transcode objects to a standard transfer syntax (the default).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress" -eq 1' -fa 'pack' -d 'Pack files into one transport bundle (.dcmz): headers together, pixels filtered, zstd.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress" -eq 1' -fa 'unpack' -d 'Restore the files of a transport bundle, byte for byte.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" codec' -l 'codec' -d 'Target encoding: jpeg-ls, rle, jpeg-lossless, deflate, none.' -rfka 'jpeg-ls rle jpeg-lossless deflate none'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" auto' -l 'auto' -d 'Choose the codec for the link given by --link-rate.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" link-rate' -l 'link-rate' -d 'Link rate for --auto, in bits: 10Mbit, 2.5Gbit, 500kbit, 100Mbps.' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" lossy' -l 'lossy' -d 'Near-lossless JPEG-LS: pixels may change by at most n (NEAR=n, n from 1 to 255).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" no-verify' -l 'no-verify' -d 'Skip the bit-exact check of lossless outputs.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" o output' -l 'output' -s 'o' -d 'Output folder (\'-\' for stdout with a \'-\' input).' -rfa '(__dcm-compress_complete_directories)'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" no-sync' -l 'no-sync' -d 'Skip the flush to disk at the end of the batch (outputs are still written atomically).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" print-paths' -l 'print-paths' -d 'Print each output\'s path on stdout once it is on disk (for the next tool\'s --files-from -).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" j' -s 'j' -d 'Files processed in parallel (default: the number of cores).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress transcode" -ge 1' -F
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress transcode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" o output' -l 'output' -s 'o' -d 'Bundle file, or \'-\' for stdout.' -rF
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" level' -l 'level' -d 'zstd level for pixels (1-19): higher is a little smaller and much slower.' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" j' -s 'j' -d 'Files compressed in parallel (default: the number of cores).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress pack" -ge 1' -F
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress pack" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" o output' -l 'output' -s 'o' -d 'Output folder.' -rfa '(__dcm-compress_complete_directories)'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" j' -s 'j' -d 'Files decoded in parallel (default: the number of cores).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" max-output-size' -l 'max-output-size' -d 'Most bytes restored from one bundle, with K, M, G or T (default 64G).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" max-ratio' -l 'max-ratio' -d 'Most bytes restored per byte of bundle read, past the first 64 MB (default 200).' -rfka ''
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_positional "dcm-compress unpack" -eq 1' -F
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress unpack" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-compress' -n '__dcm-compress_should_offer_completions_for_flags_or_options "dcm-compress help" version' -l 'version' -d 'Show the version.'
