/**
 * Reads and validates every classify-pr input at once, before anything talks to GitHub: a bad glob
 * or flow rule is reported as one line naming the input, and nothing has been commented or labelled.
 */
import { InputError, type Inputs } from '../action-kit';
import { parseBranchFlow, type FlowRule } from './branch-flow';
import type { ClassifyRules } from './classify';
import { DEFAULT_INFRASTRUCTURE_PATHS, DEFAULT_LABELS } from './defaults';
import { compileGlobs, type GlobSet } from './globs';
import type { LabelNames } from './labels';
import { DEFAULT_SOURCE_ENVIRONMENTS, parseSourceEnvironments, type SourceHealthConfig } from './source-health';

/** Input names, declared once (action.yml is the public contract). */
export const INPUT = {
  token: 'github-token',
  infrastructurePaths: 'infrastructure-paths',
  ignorePaths: 'ignore-paths',
  failOnMixed: 'fail-on-mixed',
  promotionBranches: 'promotion-branches',
  labels: 'labels',
  infrastructureLabel: 'infrastructure-label',
  applicationLabel: 'application-label',
  mixedLabel: 'mixed-label',
  comment: 'comment',
  branchFlow: 'branch-flow',
  base: 'base',
  head: 'head',
  requireHealthySource: 'require-healthy-source',
  sourceEnvironments: 'source-environments',
  deploymentTask: 'deployment-task',
} as const;

export interface ClassifyConfig extends SourceHealthConfig {
  token?: string;
  rules: ClassifyRules;
  failOnMixed: boolean;
  /** Heads whose mixed PRs are reported, not failed (promotions). */
  promotionBranches: GlobSet;
  labels: boolean;
  labelNames: LabelNames;
  comment: boolean;
  flow: FlowRule[];
  /** Refs for use outside pull_request events. */
  base?: string;
  head?: string;
}

/** GitHub refuses label names longer than this. */
const LABEL_MAX = 50;

function labelName(inputs: Inputs, input: string, fallback: string): string {
  const name = inputs.optional(input) ?? fallback;
  if (name.length > LABEL_MAX) throw new InputError(input, `is ${name.length} characters long`, `use a label name of at most ${LABEL_MAX} characters`);
  return name;
}

export function readClassifyConfig(inputs: Inputs): ClassifyConfig {
  const infrastructureGlobs = inputs.multiline(INPUT.infrastructurePaths);
  const rules: ClassifyRules = {
    // An explicitly emptied list would make every PR "application": fall back to the defaults instead.
    infrastructure: compileGlobs(INPUT.infrastructurePaths, infrastructureGlobs.length > 0 ? infrastructureGlobs : DEFAULT_INFRASTRUCTURE_PATHS),
    ignore: compileGlobs(INPUT.ignorePaths, inputs.multiline(INPUT.ignorePaths)),
  };
  const labelNames: LabelNames = {
    infrastructure: labelName(inputs, INPUT.infrastructureLabel, DEFAULT_LABELS.infrastructure),
    application: labelName(inputs, INPUT.applicationLabel, DEFAULT_LABELS.application),
    mixed: labelName(inputs, INPUT.mixedLabel, DEFAULT_LABELS.mixed),
  };
  const entries = Object.entries(labelNames);
  for (const [kind, name] of entries) {
    const clash = entries.find(([other, otherName]) => other !== kind && otherName.toLowerCase() === name.toLowerCase());
    if (clash) {
      const input = INPUT[`${clash[0] as keyof LabelNames}Label`];
      throw new InputError(input, `is '${name}', the same as the ${kind} label`, 'give each type its own label name');
    }
  }
  return {
    token: inputs.optional(INPUT.token),
    rules,
    failOnMixed: inputs.boolean(INPUT.failOnMixed, true),
    promotionBranches: compileGlobs(INPUT.promotionBranches, inputs.multiline(INPUT.promotionBranches), { kind: 'branch' }),
    labels: inputs.boolean(INPUT.labels, true),
    labelNames,
    comment: inputs.boolean(INPUT.comment, true),
    flow: parseBranchFlow(INPUT.branchFlow, inputs.multiline(INPUT.branchFlow)),
    base: inputs.optional(INPUT.base),
    head: inputs.optional(INPUT.head),
    ...readSourceHealthConfig(inputs),
  };
}

function readSourceHealthConfig(inputs: Inputs): SourceHealthConfig {
  const lines = inputs.multiline(INPUT.sourceEnvironments);
  return {
    requireHealthySource: inputs.boolean(INPUT.requireHealthySource, false),
    sourceEnvironments: parseSourceEnvironments(INPUT.sourceEnvironments, lines.length > 0 ? lines : DEFAULT_SOURCE_ENVIRONMENTS),
    deploymentTask: inputs.optional(INPUT.deploymentTask) ?? 'deploy:ecs',
  };
}
