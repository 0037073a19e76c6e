/**
 * An existing task definition revision named by the `task-definition` input instead of a JSON file:
 * its ARN, `family:revision`, or `previous` (the newest ACTIVE revision of the service's family older
 * than the one it runs, as ecspresso's `rollback` picks it). The forms are told apart strictly, so a
 * mistyped ARN is an input error rather than a file that cannot be read, and every problem (unknown,
 * deregistered, no older revision) is reported before anything changes.
 */
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, type Tag, type TaskDefinition } from '@aws-sdk/client-ecs';
import { InputError } from '../action-kit';
import { aws, AwsCallError } from '../aws';
import type { EcsContext } from './context';

/** What the `task-definition` input names: a JSON file, or an existing revision (ARN, family:revision, `previous`). */
export type TaskDefinitionSource = { kind: 'file'; path: string } | { kind: 'revision'; reference: string };

export const PREVIOUS_REVISION = 'previous';

const TASK_DEFINITION_ARN = /^arn:aws(?:-[a-z]+)*:ecs:[a-z0-9-]+:\d{12}:task-definition\/([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):(\d+)$/;
const FORMS = 'arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>, <family>:<revision>, previous, or the path of a task definition JSON file';

/** Family and revision of a task definition ARN; undefined when the value is not one. */
export function parseTaskDefinitionArn(arn: string): { family: string; revision: number } | undefined {
  const match = TASK_DEFINITION_ARN.exec(arn);
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

/** Classifies the `task-definition` input; a value that looks like an ARN or a revision but is malformed is an InputError. */
export function parseTaskDefinitionSource(value: string, inputName = 'task-definition'): TaskDefinitionSource {
  const text = value.trim();
  if (text === PREVIOUS_REVISION) return { kind: 'revision', reference: text };
  if (text.startsWith('arn:')) {
    if (!parseTaskDefinitionArn(text)) throw new InputError(inputName, `is '${value}', which is not a task definition ARN`, `use ${FORMS}`);
    return { kind: 'revision', reference: text };
  }
  const match = FAMILY_REVISION.exec(text);
  if (match) {
    if (!/^[1-9]\d*$/.test(match[2])) throw new InputError(inputName, `is '${value}', whose revision '${match[2]}' is not a revision number`, `use ${match[1]}:<revision> with a revision from 1`);
    return { kind: 'revision', reference: text };
  }
  return { kind: 'file', path: value };
}

export interface ExistingRevision {
  arn: string;
  definition: TaskDefinition;
  tags?: Tag[];
}

/**
 * Resolves `previous`, an ARN or `family:revision` to an ACTIVE revision, described with its tags.
 * `runningArn` is the revision the service runs now (what `previous` is older than).
 */
export async function resolveRevision(ctx: EcsContext, reference: string, runningArn: string, inputName = 'task-definition'): Promise<ExistingRevision> {
  const wanted = reference === PREVIOUS_REVISION ? await previousRevision(ctx, runningArn, inputName) : reference;
  const described = await describeRevision(ctx, wanted, reference, inputName);
  const definition = described.taskDefinition;
  if (!definition?.taskDefinitionArn) throw missing(reference, inputName);
  if (definition.status !== 'ACTIVE') {
    throw new InputError(inputName, `is '${reference}', which is ${definition.status} (deregistered)`, 'give an ACTIVE revision: ECS does not deploy a deregistered one');
  }
  return { arn: definition.taskDefinitionArn, definition, tags: described.tags?.length ? described.tags : undefined };
}

async function describeRevision(ctx: EcsContext, wanted: string, reference: string, inputName: string) {
  try {
    return await aws('ecs:DescribeTaskDefinition', ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: wanted, include: ['TAGS'] })));
  } catch (error) {
    // ECS answers an unknown revision with ClientException ("Unable to describe task definition").
    if (error instanceof AwsCallError && (error.code === 'ClientException' || error.code === 'InvalidParameterException')) throw missing(reference, inputName);
    throw error;
  }
}

function missing(reference: string, inputName: string): InputError {
  return new InputError(inputName, `is '${reference}', which is not a task definition revision in this account and region`, 'give an existing revision (e.g. a previous-task-definition-arn output) or previous');
}

/** The newest ACTIVE revision of the running revision's family that is older than it (ListTaskDefinitions, newest first). */
async function previousRevision(ctx: EcsContext, runningArn: string, inputName: string): Promise<string> {
  const running = parseTaskDefinitionArn(runningArn);
  if (!running) throw new InputError(inputName, `is 'previous', but the service runs '${runningArn}', which is not a task definition ARN`, 'give the revision to deploy (family:revision or its ARN)');
  let nextToken: string | undefined;
  do {
    const page = await aws(
      'ecs:ListTaskDefinitions',
      ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: running.family, status: 'ACTIVE', sort: 'DESC', nextToken })),
    );
    const older = (page.taskDefinitionArns ?? []).find((arn) => {
      const candidate = parseTaskDefinitionArn(arn);
      return candidate?.family === running.family && candidate.revision < running.revision;
    });
    if (older) return older;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new InputError(
    inputName,
    `is 'previous', but family '${running.family}' has no ACTIVE revision older than ${running.family}:${running.revision}, the one the service runs`,
    'give the revision to deploy (family:revision or its ARN)',
  );
}
