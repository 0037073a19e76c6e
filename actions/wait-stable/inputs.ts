/**
 * wait-stable's inputs, read and checked before any AWS call: a bad health URL, verify-urls line, a
 * bake longer than the timeout, a filter pattern CloudWatch would reject or a log group name it would
 * refuse is one line naming the input. Also the inputs `connect2 status` reads (serviceStatus).
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

function readVerifySettings(inputs: Inputs, timeoutMs: number, healthUrl?: string): VerifySettings {
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

export interface Settings {
  cluster: string;
  services: string[];
  expected?: string;
  timeoutMs: number;
  intervalMs: number;
  healthUrl?: string;
  healthTimeoutMs: number;
  maxAttempts: number;
  verify: VerifySettings;
}

/** Every input, checked before the first AWS call. */
export function readWaitInputs(inputs: Inputs): Settings {
  const cluster = inputs.required(Input.Cluster);
  inputs.required(Input.Services);
  const services = [...new Set(inputs.list(Input.Services))];
  const expected = inputs.optional(Input.TaskDefinition);
  const timeoutMs = inputs.duration(Input.TimeoutMinutes, 30 * 60_000, 'minutes', { minMs: 1000, maxMs: 6 * 3_600_000 });
  const intervalMs = inputs.duration(Input.PollIntervalSeconds, 5000, 'seconds', { minMs: 1000, maxMs: 300_000 });
  const healthUrl = inputs.optional(Input.HealthUrl);
  if (healthUrl) checkUrl(healthUrl);
  const healthTimeoutMs = inputs.duration(Input.HealthTimeoutSeconds, 300_000, 'seconds', { minMs: 1000 });
  const maxAttempts = inputs.integer(Input.MaxAttempts, 10, { min: 1, max: 50 });
  const verify = readVerifySettings(inputs, timeoutMs, healthUrl);
  return { cluster, services, expected, timeoutMs, intervalMs, healthUrl, healthTimeoutMs, maxAttempts, verify };
}

function checkUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(Input.HealthUrl, `is '${raw}', not a URL`, 'use an http(s) URL such as https://api-dev.example.com/health');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(Input.HealthUrl, `uses ${url.protocol}`, 'use an http:// or https:// URL');
  }
}

/** `connect2 status`: the cluster and services to look at. */
export function readStatusInputs(inputs: Inputs): { cluster: string; services: string[]; maxAttempts: number } {
  const cluster = inputs.required(Input.Cluster);
  inputs.required(Input.Services);
  const services = [...new Set(inputs.list(Input.Services))];
  const maxAttempts = inputs.integer(Input.MaxAttempts, 10, { min: 1, max: 50 });
  return { cluster, services, maxAttempts };
}
