function __rota-plan_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __rota-plan_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __rota-plan_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __rota-plan_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __rota-plan_parse_tokens -S
    set -l unparsed_tokens (__rota-plan_tokens -pc)
    switch $unparsed_tokens[1]
    case 'rota-plan'
        __rota-plan_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'solve'
            __rota-plan_parse_subcommand 1 'o/output=' 'time-limit=' 'seed=' 'iterations=' 'j=' 'show=' 'wishes=' 'history=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'repair'
            __rota-plan_parse_subcommand 1 'o/output=' 'time-limit=' 'seed=' 'iterations=' 'j=' 'show=' 'wishes=' 'history=' 'published=' 'unavailable=+' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'who-can'
            __rota-plan_parse_subcommand 3 'published=' 'holder=' 'wishes=' 'history=' 'unavailable=+' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'swap'
            __rota-plan_parse_subcommand 3 'dates=' 'their-dates=' 'published=' 'wishes=' 'history=' 'limit=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'curtois'
            __rota-plan_parse_subcommand 1 'time-limit=' 'seed=' 'j=' 'roster=' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'holidays'
            __rota-plan_parse_subcommand 1 'alsace-moselle' 'json' 'v/verbose' 'q/quiet' 'version' 'h/help'
        case 'help'
            __rota-plan_parse_subcommand -r 1 'version'
        end
    end
end

function __rota-plan_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __rota-plan_parse_subcommand -S -a positional_count
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

function __rota-plan_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __rota-plan_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__rota-plan_tokens -p)
    if test -z "$(__rota-plan_tokens -t)"
        set -l index (count (__rota-plan_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'rota-plan' -f
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'solve' -d 'Build a legal, fair rota for the period.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'repair' -d 'Repair a published rota after new unavailabilities, changing as few assignments as possible.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'who-can' -d 'Who could take a duty on a date instead of its holder, ranked by fairness, and why the others cannot.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'swap' -d 'Check an exchange of duties between two people, or find the best partner for one.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'curtois' -d 'Benchmark mode: solve a Curtois & Qu shift scheduling instance.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'holidays' -d 'Print the French public holidays of a year, as the rota counts them.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan solve" -eq 1' -F
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" o output' -l 'output' -s 'o' -d 'Folder for rota.csv, calendars/ (.ics), fairness.txt/.csv, month-view.html.' -rfa '(__rota-plan_complete_directories)'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" time-limit' -l 'time-limit' -d 'Seconds the search may take at most.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" seed' -l 'seed' -d 'Seed: the same seed, cores and iterations give the same rota.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" iterations' -l 'iterations' -d 'Search iterations per chain (default: 400 per slot).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" j' -s 'j' -d 'Search chains in parallel (default: the number of cores).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" show' -l 'show' -d 'Print one month as a table, e.g. 2027-02.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" wishes' -l 'wishes' -d 'Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty; commas or semicolons).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" history' -l 'history' -d 'Last year\'s fairness.csv (written by solve): each person\'s debt or credit per category is carried into this year.' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan solve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan repair" -eq 1' -F
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" o output' -l 'output' -s 'o' -d 'Folder for rota.csv, calendars/ (.ics), fairness.txt/.csv, month-view.html.' -rfa '(__rota-plan_complete_directories)'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" time-limit' -l 'time-limit' -d 'Seconds the search may take at most.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" seed' -l 'seed' -d 'Seed: the same seed, cores and iterations give the same rota.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" iterations' -l 'iterations' -d 'Search iterations per chain (default: 400 per slot).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" j' -s 'j' -d 'Search chains in parallel (default: the number of cores).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" show' -l 'show' -d 'Print one month as a table, e.g. 2027-02.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" wishes' -l 'wishes' -d 'Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty; commas or semicolons).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" history' -l 'history' -d 'Last year\'s fairness.csv (written by solve): each person\'s debt or credit per category is carried into this year.' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" published' -l 'published' -d 'The published rota (CSV written by solve).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair"' -l 'unavailable' -d 'New unavailability, PERSON:DATE or PERSON:DATE..DATE (repeatable).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan repair" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan who-can" -eq 1' -F
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" published' -l 'published' -d 'The published rota (CSV written by solve).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" holder' -l 'holder' -d 'Whose slot, when the duty needs several people that day.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" wishes' -l 'wishes' -d 'Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" history' -l 'history' -d 'Last year\'s fairness.csv, as given to solve.' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can"' -l 'unavailable' -d 'New unavailability, PERSON:DATE or PERSON:DATE..DATE (repeatable).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan who-can" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan swap" -eq 1' -F
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" dates' -l 'dates' -d 'A\'s dates: a date or a range.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" their-dates' -l 'their-dates' -d 'B\'s dates when they differ from A\'s (another weekend).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" published' -l 'published' -d 'The published rota (CSV written by solve).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" wishes' -l 'wishes' -d 'Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" history' -l 'history' -d 'Last year\'s fairness.csv, as given to solve.' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" limit' -l 'limit' -d 'Partners proposed at most (without B).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan swap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_positional "rota-plan curtois" -eq 1' -F
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" time-limit' -l 'time-limit' -d 'Seconds of search.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" seed' -l 'seed' -d 'Seed of the search chains.' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" j' -s 'j' -d 'Search chains in parallel (default: the number of cores).' -rfka ''
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" roster' -l 'roster' -d 'Where to write the roster (\'-\' for stdout).' -rF
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan curtois" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays" alsace-moselle' -l 'alsace-moselle' -d 'Add the Alsace-Moselle days (Good Friday, 26 December).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays" json' -l 'json' -d 'Write one JSON object per line to stdout: one per item, then a summary.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays"' -l 'verbose' -s 'v' -d 'More detail on stderr (repeat for debug; DCMTK\'s own log too).'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays" q quiet' -l 'quiet' -s 'q' -d 'Only errors on stderr; no progress bar.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays" version' -l 'version' -d 'Show the version.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan holidays" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'rota-plan' -n '__rota-plan_should_offer_completions_for_flags_or_options "rota-plan help" version' -l 'version' -d 'Show the version.'
