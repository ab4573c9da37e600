"""What an operator runs around the server: start-up checks with one-line problems and exit codes
(``preflight``), ``premises doctor`` (``doctor``), backups and restores (``backup``). No HTTP here;
the command line (``premises.cli``) prints what these return."""
