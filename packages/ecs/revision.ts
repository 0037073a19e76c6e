/**
 * An existing task definition revision named by the `task-definition` input instead of a JSON file:
 * its ARN, `family:revision`, or `previous`: the revision that last served successfully before the one
 * the service runs now, read from the service's deployment history (a revision whose rollout failed
 * stays ACTIVE, so the newest older revision number can be one that never served). The forms are told
 * apart strictly, so a mistyped ARN or a bare family name is an input error rather than a file that
 * cannot be read; a revision of another family than the service's is refused (another environment's
 * secrets and roles); every problem is reported before anything changes.
 */
import { DescribeTaskDefinitionCommand, type Tag, type TaskDefinition } from '@aws-sdk/client-ecs';
import { InputError } from '../action-kit';
import { aws, AwsCallError, shortArn } from '../aws';
import type { EcsContext } from './context';
import { lastSuccessfulBefore } from './service-deployments';

/** What the `task-definition` input names: a JSON file, an existing revision (ARN, family:revision, `previous`), or a release tag. */
export type TaskDefinitionSource = { kind: 'file'; path: string } | { kind: 'revision'; reference: string } | { kind: 'release'; tag: string };

/**
 * A release tag resolved through GitHub (by the caller, which holds the client): the commit it names and
 * the revisions the successful deploys of that commit ran, newest first, in every environment.
 */
export interface ReleasedRevisions {
  tag: string;
  commit: string;
  arns: string[];
}

const PREVIOUS_REVISION = 'previous';

const TASK_DEFINITION_ARN = /^arn:aws(?:-[a-z]+)*:ecs:[a-z0-9-]+:\d{12}:task-definition\/([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):(\d+)$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
/** A release tag as create-release writes it (tag-prefix `v`): v1.2.3, v2.0.0-rc.1. */
const RELEASE_TAG = /^v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const FORMS = 'arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>, <family>:<revision>, previous, a release tag (v1.2.3), or the path of a task definition JSON file';

/** Family and revision of a task definition ARN; undefined when the value is not one. */
function parseTaskDefinitionArn(arn: string): { family: string; revision: number } | undefined {
  const match = TASK_DEFINITION_ARN.exec(arn);
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

/** Classifies the `task-definition` input; a value that looks like an ARN, a revision or a family but is not one is an InputError. */
export function parseTaskDefinitionSource(value: string, inputName = 'task-definition'): TaskDefinitionSource {
  const text = value.trim();
  if (text === PREVIOUS_REVISION) return { kind: 'revision', reference: text };
  if (RELEASE_TAG.test(text)) return { kind: 'release', tag: text };
  if (text.startsWith('arn:')) {
    if (!parseTaskDefinitionArn(text)) throw new InputError(inputName, `is '${value}', which is not a task definition ARN`, `use ${FORMS}`);
    return { kind: 'revision', reference: text };
  }
  const match = FAMILY_REVISION.exec(text);
  if (match) {
    if (!/^[1-9]\d*$/.test(match[2])) throw new InputError(inputName, `is '${value}', whose revision '${match[2]}' is not a revision number`, `use ${match[1]}:<revision> with a revision from 1`);
    return { kind: 'revision', reference: text };
  }
  if (FAMILY.test(text)) {
    throw new InputError(
      inputName,
      `is '${text}', a task definition family without a revision`,
      `use ${text}:<revision>, its ARN (arn:aws:ecs:<region>:<account>:task-definition/${text}:<revision>), previous, a release tag (v1.2.3), or the path of a task definition JSON file (./${text} for a file of that name)`,
    );
  }
  return { kind: 'file', path: value };
}

export interface ExistingRevision {
  arn: string;
  definition: TaskDefinition;
  tags?: Tag[];
}

/** The service the revision is for: `previous` is read from its history, and the family must be its own. */
export interface RevisionTarget {
  cluster: string;
  service: string;
  /** The revision the service runs now. */
  runningArn: string;
}

/**
 * Resolves `previous`, an ARN, `family:revision` or a release tag (with `released`, its deploys' revisions)
 * to an ACTIVE revision of the service's family, described with its tags.
 */
export async function resolveRevision(ctx: EcsContext, reference: string, target: RevisionTarget, inputName = 'task-definition', released?: ReleasedRevisions): Promise<ExistingRevision> {
  const wanted = reference === PREVIOUS_REVISION ? await previousRevision(ctx, target, inputName) : released ? releasedRevision(released, target, inputName) : reference;
  const named = wanted === reference ? `'${reference}'` : `'${reference}' (${shortArn(wanted)})`;
  const described = await describeRevision(ctx, wanted, reference, inputName);
  const definition = described.taskDefinition;
  if (!definition?.taskDefinitionArn) throw missing(reference, inputName);
  if (definition.status !== 'ACTIVE') {
    throw new InputError(inputName, `is ${named}, which is ${definition.status} (deregistered)`, 'give an ACTIVE revision: ECS does not deploy a deregistered one');
  }
  const runningFamily = parseTaskDefinitionArn(target.runningArn)?.family;
  if (runningFamily && definition.family !== runningFamily) {
    throw new InputError(
      inputName,
      `is ${named}, a revision of family ${definition.family}, but ${target.service} runs family ${runningFamily}`,
      `give a revision of ${runningFamily} (another family carries another environment's image, secrets and roles)`,
    );
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

/** The revision of the newest successful deployment that ran another revision than the one running now. */
async function previousRevision(ctx: EcsContext, target: RevisionTarget, inputName: string): Promise<string> {
  const before = await lastSuccessfulBefore(ctx, target.cluster, target.service, target.runningArn);
  if (before) return before;
  throw new InputError(
    inputName,
    `is 'previous', but the deployment history of ${target.service} has no successful deployment of another revision than ${shortArn(target.runningArn)}, the one it runs`,
    'give the revision to deploy (family:revision or its ARN)',
  );
}

/**
 * The revision a release ran on this service: the newest successful deploy of the release's commit whose
 * revision is of the service's family (the same commit ran dev, staging and prod, each in its own family).
 */
function releasedRevision(released: ReleasedRevisions, target: RevisionTarget, inputName: string): string {
  const family = parseTaskDefinitionArn(target.runningArn)?.family;
  const own = released.arns.find((arn) => parseTaskDefinitionArn(arn)?.family === family);
  if (own) return own;
  const elsewhere = released.arns.length ? ` (its deploys ran ${[...new Set(released.arns.map(shortArn))].join(', ')})` : '';
  throw new InputError(
    inputName,
    `is '${released.tag}' (commit ${released.commit.slice(0, 7)}), but no successful deploy of that commit recorded a revision of ${family ?? 'the family'} ${target.service} runs${elsewhere}`,
    'give a release deployed to this service, a task definition (family:revision or its ARN) or previous',
  );
}
