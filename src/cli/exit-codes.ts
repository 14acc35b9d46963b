// The exit codes of every command: 2 is "fix the configuration first" (systemd can be told not to restart on it).
export const EXIT_CONFIG = 2;
export const EXIT_FAILURE = 1;
