/** ecs-deploy's inputs, read and checked before any AWS call (the task definition file read here too). */
import path from 'node:path';
import type { Inputs } from '../../packages/action-kit';
import { parseImage, parseTaskDefinitionSource, readTaskDefinitionFile, type DeployOptions } from '../../packages/ecs';
import { Input } from './names';
import { readReleasedRevisions } from './release';

export type Settings = Omit<DeployOptions, 'signal' | 'onRolloutStarted' | 'revisionInput'> & { maxAttempts: number };

/** Runs the check of one input of the deploy to `service`; the glue reports a failure (status, summary) before it is rethrown. */
export type InputCheck = <T>(service: string, check: () => T) => Promise<T>;

/** Every input, checked before any AWS call; a bad one is reported like every other failure (`guard`). */
export async function readDeployInputs(inputs: Inputs, guard: InputCheck): Promise<Settings> {
  const cluster = inputs.required(Input.Cluster);
  const service = inputs.required(Input.Service);
  const image = inputs.optional(Input.Image);
  if (image) await guard(service, () => parseImage(image, Input.Image));
  const container = inputs.optional(Input.Container);
  const templatePath = inputs.optional(Input.TaskDefinition);
  const flags = {
    resolveDigest: inputs.boolean(Input.ResolveDigest, true),
    forceNewDeployment: inputs.boolean(Input.ForceNewDeployment, false),
    registerOnly: inputs.boolean(Input.RegisterOnly, false),
    wait: inputs.boolean(Input.Wait, true),
    timeoutMs: inputs.duration(Input.TimeoutMinutes, 30 * 60_000, 'minutes', { minMs: 1000, maxMs: 6 * 3_600_000 }),
    intervalMs: inputs.duration(Input.PollIntervalSeconds, 5000, 'seconds', { minMs: 1000, maxMs: 300_000 }),
    rollbackOnFailure: inputs.boolean(Input.RollbackOnFailure, true),
    maxAttempts: inputs.integer(Input.MaxAttempts, 10, { min: 1, max: 50 }),
  };
  // A JSON file (the template), an existing revision (an ARN, family:revision or `previous`), or a release tag.
  const source = templatePath ? await guard(service, () => parseTaskDefinitionSource(templatePath, Input.TaskDefinition)) : undefined;
  const taskDefinition =
    source?.kind === 'file' ? await readTaskDefinitionFile(path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), source.path), Input.TaskDefinition) : undefined;
  const released = source?.kind === 'release' ? await guard(service, () => readReleasedRevisions(source.tag, inputs.optional(Input.GitHubToken) ?? '')) : undefined;
  const revision = source?.kind === 'revision' ? source.reference : source?.kind === 'release' ? source.tag : undefined;
  return { cluster, service, image, container, revision, released, taskDefinition, ...flags };
}
