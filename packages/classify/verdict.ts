/**
 * The step's outcome: a mixed PR (unless its policy tolerates it), a flow violation, a promotion whose
 * source environment is not healthy on its head, and labels or a
 * comment that could not be written fail it, all in one error; a tolerated mixed PR only warns.
 */
import type { FlowResult } from './branch-flow';
import type { Classification } from './classify';
import type { MixedPolicy } from './mixed-policy';
import type { SourceHealthResult } from './source-health';

export interface Verdict {
  /** Reasons to fail, most important first (empty: the step passes). */
  problems: string[];
  warnings: string[];
}

const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;

export function verdict(result: Classification, flow: FlowResult, policy: MixedPolicy, failures: readonly string[] = [], source?: SourceHealthResult): Verdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (result.type === 'mixed') {
    const line = `This PR mixes infrastructure (${files(result.infrastructure.length)}) and application (${files(result.application.length)}) changes: split it into an infrastructure PR, merged first, and an application PR (the job summary lists the files of each kind).`;
    if (policy.fail) problems.push(line);
    else warnings.push(`${line} (not failing: ${policy.allowedBecause ?? 'allowed'})`);
  }
  if (flow.status === 'violation') problems.push(flow.message);
  // A promotion whose source environment does not run its head healthily fails until it does.
  if (source && source.health !== 'healthy' && source.health !== 'skipped') problems.push(source.message);
  problems.push(...failures);
  return { problems, warnings };
}
