/**
 * Runs one action of the pipeline as the runner would (the committed bundle, in a child process,
 * against the simulators) and records its outcome against what the story expects.
 */
import { pullRequestEvent, runAction, type ActionRun, type RunActionOptions } from '../../test/harness/run-action';
import type { Outcome, Timeline } from './timeline';
import { FULL_REPO, type AwsSimulator, type GitHubSimulator } from './world';

export interface StepSpec {
  action: string;
  label: string;
  inputs: Record<string, string | number | boolean>;
  expect: Exclude<Outcome, 'skipped'>;
  /** Pull request event for PR-triggered steps. */
  pullRequest?: { number: number; head: string; headSha: string; base: string; baseSha: string; changedFiles: number };
  sha?: string;
  ref?: string;
  /** Extra checks on the run; each returned string is a problem. */
  verify?: (run: ActionRun) => string[] | Promise<string[]>;
  harness?: Partial<RunActionOptions>;
}

export class Pipeline {
  stageNumber = 0;
  stageTitle = '';

  constructor(
    readonly aws: AwsSimulator,
    readonly gh: GitHubSimulator,
    readonly timeline: Timeline,
    private readonly bundles?: Record<string, string>,
  ) {}

  stage(number: number, title: string): void {
    this.stageNumber = number;
    this.stageTitle = title;
    this.timeline.stage(number, title);
  }

  async step(spec: StepSpec): Promise<ActionRun> {
    this.timeline.starting(spec.action, spec.label);
    const started = Date.now();
    const run = await this.launch(spec).catch((error: unknown) => crashed(error, started));
    const actual: Outcome = run.exitCode === 0 ? 'success' : 'failure';
    const problems: string[] = [];
    if (actual !== spec.expect) {
      problems.push(`expected ${spec.expect}, got ${actual}${run.errors[0] ? `: ${run.errors[0].split('\n')[0]}` : ''}`);
    }
    try {
      problems.push(...(await (spec.verify?.(run) ?? [])));
    } catch (error) {
      problems.push(`check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.timeline.record({
      stage: this.stageNumber,
      stageTitle: this.stageTitle,
      action: spec.action,
      label: spec.label,
      expected: spec.expect,
      actual,
      problems,
      detail: describe(run),
      durationMs: Date.now() - started,
      summary: run.summary,
    });
    return run;
  }

  private launch(spec: StepSpec): Promise<ActionRun> {
    const pr = spec.pullRequest;
    return runAction(spec.action, {
      inputs: spec.inputs,
      token: this.gh.token,
      env: {
        ...this.aws.env,
        ...this.gh.env,
        GITHUB_REPOSITORY: FULL_REPO,
        GITHUB_SHA: spec.sha ?? pr?.headSha,
        GITHUB_REF: spec.ref ?? (pr ? `refs/pull/${pr.number}/merge` : undefined),
        GITHUB_HEAD_REF: pr?.head,
        GITHUB_BASE_REF: pr?.base,
      },
      eventName: pr ? 'pull_request' : 'push',
      event: pr
        ? pullRequestEvent(pr, FULL_REPO)
        : { ref: spec.ref, after: spec.sha, repository: { full_name: FULL_REPO } },
      timeoutMs: 180_000,
      bundle: this.bundles?.[spec.action],
      ...spec.harness,
    });
  }

  /** A step the pipeline does not run because an earlier one failed (as a workflow skips it). */
  skipped(action: string, label: string, reason: string): void {
    this.timeline.record({
      stage: this.stageNumber,
      stageTitle: this.stageTitle,
      action,
      label,
      expected: 'skipped',
      actual: 'skipped',
      problems: [],
      detail: reason,
      durationMs: 0,
      summary: '',
    });
  }

  /** A check on the world between steps (e.g. which revision a service runs). */
  check(action: string, label: string, problems: string[], detail: string): void {
    this.timeline.record({
      stage: this.stageNumber,
      stageTitle: this.stageTitle,
      action,
      label,
      expected: 'success',
      actual: problems.length ? 'failure' : 'success',
      problems,
      detail,
      durationMs: 0,
      summary: '',
    });
  }
}

/** A step whose bundle could not even be started: recorded as a failure with the reason. */
function crashed(error: unknown, started: number): ActionRun {
  const message = error instanceof Error ? error.message : String(error);
  const step = { exitCode: -1, signal: null, stdout: '', stderr: message, durationMs: Date.now() - started };
  return { main: step, exitCode: -1, outputs: {}, summary: '', state: {}, exportedEnv: {}, annotations: [], errors: [message], log: '', workDir: '' };
}

function describe(run: ActionRun): string {
  const o = run.outputs;
  const parts: string[] = [];
  for (const key of ['type', 'flow', 'summary', 'status', 'exit-code', 'version', 'created']) {
    if (o[key] !== undefined && o[key] !== '') parts.push(`${key}=${o[key]}`);
  }
  if (run.exitCode !== 0 && run.errors[0]) parts.push(run.errors[0].split('\n')[0].slice(0, 160));
  return parts.join(', ') || (run.exitCode === 0 ? 'ok' : 'failed');
}

/** A problem unless `condition` holds. */
export function expectThat(condition: boolean, problem: string): string[] {
  return condition ? [] : [problem];
}
