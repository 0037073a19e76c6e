/**
 * The one logging interface of the engines. An action makes it once from `@actions/core`
 * (`actionsLogger()`), a test makes a `recordingLogger()` and reads its lines: engines never import
 * `@actions/core` themselves, so the same code runs in a bundle and in process on a VirtualClock.
 */
import * as core from '@actions/core';

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  /** An error annotation that does not fail the step by itself (the action's outcome does that). */
  error(message: string): void;
  debug(message: string): void;
  /** Runs `work` inside a collapsible group of the job log. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** The job log of the runner. */
export function actionsLogger(): Logger {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    debug: (message) => core.debug(message),
    group: (name, work) => core.group(name, work),
  };
}

export interface LoggedLine {
  level: 'info' | 'warning' | 'error' | 'debug' | 'group';
  message: string;
}

/** A logger that keeps every line, for tests (and drops nothing: groups are recorded by name). */
export function recordingLogger(): Logger & { lines: LoggedLine[]; text(level?: LoggedLine['level']): string } {
  const lines: LoggedLine[] = [];
  const record = (level: LoggedLine['level']) => (message: string) => void lines.push({ level, message });
  return {
    lines,
    info: record('info'),
    warning: record('warning'),
    error: record('error'),
    debug: record('debug'),
    group: async (name, work) => {
      lines.push({ level: 'group', message: name });
      return work();
    },
    text: (level) => lines.filter((line) => !level || line.level === level).map((line) => line.message).join('\n'),
  };
}

/** A logger that drops everything (tests that only look at results). */
export const silentLogger: Logger = {
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  group: (_name, work) => work(),
};
