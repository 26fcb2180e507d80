function __dcm-send_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-send_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dcm-send_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcm-send_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dcm-send_parse_tokens -S
    set -l unparsed_tokens (__dcm-send_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dcm-send'
        __dcm-send_parse_subcommand -r 2 'echo=' 'listen=' 'calling-aet=' 'associations=' 'journal=' 'retries=' 'idle-release=' 'hold=' 'urgent=+' 'commit' 'commit-timeout=' 'commit-listen=' 'remove-after-commit' 'timeout=' 'connect-timeout=' 'association-timeout=' 'response-timeout=' 'max-pdu=' 'o/output=' 'aet=' 'bind=' 'allow=+' 'allow-file=' 'commit-peers=' 'max-associations=' 'max-per-host=' 'max-object-size=' 'idle-timeout=' 'print-paths' 'stable-after=' 'tls' 'ca-file=' 'cert=' 'key=' 'peer-name=' 'no-verify-peer' 'files-from=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __dcm-send_parse_subcommand -r 1 'version'
        end
    end
end

function __dcm-send_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dcm-send_parse_subcommand -S -a positional_count
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

function __dcm-send_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dcm-send_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dcm-send_tokens -p)
    if test -z "$(__dcm-send_tokens -t)"
        set -l index (count (__dcm-send_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dcm-send' -f
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" echo' -l 'echo' -d 'Send a C-ECHO to the peer and print the round trip.' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" listen' -l 'listen' -d 'Be the receiving end instead: a storage SCP on this port, writing into -o (until Ctrl-C).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" calling-aet' -l 'calling-aet' -d 'Our AE title when sending or echoing (default TELERAD).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" associations' -l 'associations' -d 'Parallel associations, 1 to 64 (default 4), or auto: as many as keep the link busy, from the measured round trip, the rate of the fastest store and the objects\' sizes (2 to 16).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" journal' -l 'journal' -d 'Record confirmed SOP Instance UIDs here, with the peer; a rerun to that peer skips them.' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" retries' -l 'retries' -d 'Retries per file and per association set-up after network errors or transient refusals (default 3).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" idle-release' -l 'idle-release' -d 'With --files-from: release an association idle this long; it opens again when files come (default 10).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" hold' -l 'hold' -d 'With --files-from: while the peer cannot be reached, hold the files this long before they fail (default: until it is back; one line says the queue is held, one that it goes on).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send"' -l 'urgent' -d 'Send objects matching this first, ahead of everything queued and with priority HIGH: Keyword=value or Keyword~pattern, e.g. \'Modality=CT\', \'StudyDescription~AVC|STROKE\', or \'CallingAETitle=CT_URG\' for what our receiver got from that AE (repeatable).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" commit' -l 'commit' -d 'After sending, ask the peer to take custody (Storage Commitment) of what it confirmed, and of what the journal still waits for; needs --journal. Exit 0 only when all is committed.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" commit-timeout' -l 'commit-timeout' -d 'With --commit: how long to wait for the answers (default 60); the unanswered stay asked in the journal, and the next run asks again.' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" commit-listen' -l 'commit-listen' -d 'With --commit: also take the answers the archive sends on an association of its own, on this port (only the peer\'s AE title from its host; only reports).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" remove-after-commit' -l 'remove-after-commit' -d 'With --commit: delete each local file once the archive has committed it (never before, never on a failure).'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" timeout' -l 'timeout' -d 'Seconds allowed for connecting, association and each response (default 30; each can be set below).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" connect-timeout' -l 'connect-timeout' -d 'Seconds allowed for the TCP connection (default: --timeout).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" association-timeout' -l 'association-timeout' -d 'Sending: seconds for the association\'s negotiation (default: --timeout). Receiving: seconds a new connection has to send its association request (default 10).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" response-timeout' -l 'response-timeout' -d 'Seconds allowed for each answer of the peer (default: --timeout).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" max-pdu' -l 'max-pdu' -d 'Largest PDU we accept, in bytes (4096 to 131072; default 131072).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" o output' -l 'output' -s 'o' -d 'With --listen: folder for received objects, named <SOP Instance UID>.dcm.' -rfa '(__dcm-send_complete_directories)'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" aet' -l 'aet' -d 'With --listen: our AE title, which callers must call (default TELERAD).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" bind' -l 'bind' -d 'With --listen: the address to listen on (default: every IPv4 interface).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send"' -l 'allow' -d 'With --listen: accept this calling AE title, from this host when given (repeatable).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" allow-file' -l 'allow-file' -d 'With --listen: more --allow entries, one per line (# comments).' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" commit-peers' -l 'commit-peers' -d 'With --listen: senders whose Storage Commitment reports go on an association of our own, one AET@HOST:PORT per line (# comments); the others get theirs on the association that asked.' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" max-associations' -l 'max-associations' -d 'With --listen: connections at once (default 16).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" max-per-host' -l 'max-per-host' -d 'With --listen: connections at once from one address (default 8).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" max-object-size' -l 'max-object-size' -d 'With --listen: largest object accepted, in bytes or with K, M, G (default 4G).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" idle-timeout' -l 'idle-timeout' -d 'With --listen: drop an association silent for this long (default 300).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" print-paths' -l 'print-paths' -d 'With --listen: print each received object\'s path on stdout once it is on disk (for the next tool\'s --files-from -).'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" stable-after' -l 'stable-after' -d 'With --listen: also report each study no object of which arrived for this long (a \'# stable study\' line with --print-paths, an event with --json, a line on stderr otherwise).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" tls' -l 'tls' -d 'Use DICOM TLS (BCP 195 profile). Sending: the peer\'s certificate is verified against --ca-file and its name. Receiving: needs --cert and --key.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" ca-file' -l 'ca-file' -d 'With --tls: PEM certificate(s) of the authority that signs the peers\' certificates (receiving: client certificates are then required).' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" cert' -l 'cert' -d 'With --tls: our PEM certificate.' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" key' -l 'key' -d 'With --tls: the PEM private key of --cert (unencrypted, readable by its owner only).' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" peer-name' -l 'peer-name' -d 'With --tls, sending: the name or IP address the peer\'s certificate must carry (default: the host).' -rfka ''
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" no-verify-peer' -l 'no-verify-peer' -d 'With --tls, sending: accept any peer certificate (lab peers only; never across a real network).'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" files-from' -l 'files-from' -d 'Read input paths from FILE, one per line (\'-\' for stdin).' -rF
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_positional "dcm-send" -ge 1' -F
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" version' -l 'version' -d 'Show the version.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_positional "dcm-send" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dcm-send' -n '__dcm-send_should_offer_completions_for_flags_or_options "dcm-send help" version' -l 'version' -d 'Show the version.'
