/** The CLI's exit codes, declared once (help texts and the README say the same). */
/** `cleanupUnfinished`: a second signal ended the clean-up; what is left running was said on stderr. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cleanupUnfinished: 3, interrupted: 130 } as const;

export const EXIT_CODES =
  'Exit codes: 0 done, 1 failed (rolled back, not stable, non-zero exit...), 2 bad flags or settings (nothing changed), 130 interrupted (Ctrl-C, SIGTERM, SIGHUP; cleaned up), 3 a second signal ended the clean-up (what is left running is said).';
