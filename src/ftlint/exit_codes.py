"""ftlint's exit codes, shared by the linter and --submit."""

EXIT_OK = 0
EXIT_PROBLEMS = 1  # problems found; for --submit also a file the service rejected or a failed job
EXIT_USAGE = 2  # options, configuration, unreadable input, authentication, network, internal error
EXIT_INTERRUPTED = 130  # Ctrl-C
