/**
 * Runs git in the checkout through @actions/exec (the toolkit's way to spawn tools), quietly: the
 * caller decides what is worth logging. A missing git binary or a failing command becomes a
 * GitError carrying git's own words.
 */
import { getExecOutput } from '@actions/exec';
import { errorMessage } from '../action-kit';

export class GitError extends Error {
  constructor(message: string, readonly exitCode?: number) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `git <args>` in `cwd`; with `allowFailure` a non-zero exit is returned instead of thrown. */
export async function git(cwd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<GitOutput> {
  let output: GitOutput;
  try {
    // core.quotePath=false keeps non-ASCII paths literal (GitHub's API reports them as UTF-8).
    output = await getExecOutput('git', ['-c', 'core.quotePath=false', ...args], { cwd, silent: true, ignoreReturnCode: true });
  } catch (error) {
    throw new GitError(`could not run git in ${cwd}: ${errorMessage(error)}`);
  }
  if (output.exitCode !== 0 && !options.allowFailure) {
    const said = output.stderr.trim().split('\n').at(-1) || `exit code ${output.exitCode}`;
    throw new GitError(`git ${displayArgs(args).join(' ')} failed: ${said}`, output.exitCode);
  }
  return output;
}

/** The arguments as they may be shown: `-c` values that carry credentials are hidden. */
export function displayArgs(args: readonly string[]): string[] {
  const shown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' && i + 1 < args.length) {
      i++;
      if (/extraheader/i.test(args[i])) continue;
      shown.push('-c', args[i]);
      continue;
    }
    shown.push(args[i]);
  }
  return shown;
}
