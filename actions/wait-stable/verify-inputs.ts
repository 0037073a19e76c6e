/**
 * wait-stable's verification inputs, read and checked before any AWS call: a bad verify-urls line, a
 * bake longer than the timeout, a filter pattern CloudWatch would reject or a log group name it would
 * refuse is one line naming the input.
 */
import { InputError, type Inputs } from '../../packages/action-kit';
import { FilterPatternError, parseFilterPattern, parseVerifyChecks, type VerifyCheck } from '../../packages/ecs';
import { Input } from './names';

export interface VerifySettings {
  checks: VerifyCheck[];
  bakeMs: number;
  /** Empty: no log watch. */
  pattern: string;
  group?: string;
}

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function readVerifySettings(inputs: Inputs, timeoutMs: number, healthUrl?: string): VerifySettings {
  // A path is resolved against health-url: the same key endpoints for every environment.
  const checks = parseVerifyChecks(inputs.multiline(Input.VerifyUrls), Input.VerifyUrls, healthUrl);
  const bakeMs = inputs.duration(Input.BakeSeconds, 0, 'seconds', { minMs: 0, maxMs: 6 * 3_600_000 });
  if (bakeMs >= timeoutMs) {
    throw new InputError(Input.BakeSeconds, `is ${bakeMs / 1000}s, not shorter than timeout-minutes (${timeoutMs / 1000}s)`, 'use a bake shorter than the timeout, or raise timeout-minutes');
  }
  const pattern = inputs.optional(Input.LogErrorPattern) ?? '';
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (!(error instanceof FilterPatternError)) throw error;
    throw new InputError(Input.LogErrorPattern, `is '${pattern}', which CloudWatch rejects (${error.message})`, 'use a CloudWatch Logs filter pattern such as ?ERROR ?CRITICAL ?Traceback (quote terms with other characters than letters, digits and _), or an empty string for no log watch');
  }
  const group = inputs.optional(Input.LogGroup);
  if (group !== undefined && !LOG_GROUP_NAME.test(group)) {
    throw new InputError(Input.LogGroup, `is '${group}', not a log group name`, 'use up to 512 letters, digits and . - _ / # (e.g. /ecs/connect2-api-dev)');
  }
  return { checks, bakeMs, pattern, group };
}
