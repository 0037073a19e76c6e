/**
 * Reads and validates every classify-pr input at once, before anything talks to GitHub: a bad glob
 * or flow rule is reported as one line naming the input, and nothing has been commented or labelled.
 */
import { InputError, type Inputs } from '../../packages/action-kit';
import {
  DEFAULT_INFRASTRUCTURE_PATHS,
  DEFAULT_LABELS,
  DEFAULT_DEPLOY_IGNORE_PATHS,
  DEFAULT_SOURCE_ENVIRONMENTS,
  DEFAULT_TERRAFORM_PATHS,
  compileGlobs,
  parseBranchFlow,
  parseSourceEnvironments,
  type ClassifyRules,
  type FlowRule,
  type GlobSet,
  type LabelNames,
  type SourceHealthConfig,
} from '../../packages/classify';
import { Input } from './names';


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

const LABEL_INPUTS: Record<keyof LabelNames, string> = { infrastructure: Input.InfrastructureLabel, application: Input.ApplicationLabel, mixed: Input.MixedLabel };

/** GitHub refuses label names longer than this. */
const LABEL_MAX = 50;

function labelName(inputs: Inputs, input: string, fallback: string): string {
  const name = inputs.optional(input) ?? fallback;
  if (name.length > LABEL_MAX) throw new InputError(input, `is ${name.length} characters long`, `use a label name of at most ${LABEL_MAX} characters`);
  return name;
}

export function readClassifyConfig(inputs: Inputs): ClassifyConfig {
  const infrastructureGlobs = inputs.multiline(Input.InfrastructurePaths);
  const rules: ClassifyRules = {
    // An explicitly emptied list would make every PR "application": fall back to the defaults instead.
    infrastructure: compileGlobs(Input.InfrastructurePaths, infrastructureGlobs.length > 0 ? infrastructureGlobs : DEFAULT_INFRASTRUCTURE_PATHS),
    ignore: compileGlobs(Input.IgnorePaths, inputs.multiline(Input.IgnorePaths)),
  };
  const labelNames: LabelNames = {
    infrastructure: labelName(inputs, Input.InfrastructureLabel, DEFAULT_LABELS.infrastructure),
    application: labelName(inputs, Input.ApplicationLabel, DEFAULT_LABELS.application),
    mixed: labelName(inputs, Input.MixedLabel, DEFAULT_LABELS.mixed),
  };
  const entries = Object.entries(labelNames);
  for (const [kind, name] of entries) {
    const clash = entries.find(([other, otherName]) => other !== kind && otherName.toLowerCase() === name.toLowerCase());
    if (clash) {
      const input = LABEL_INPUTS[clash[0] as keyof LabelNames];
      throw new InputError(input, `is '${name}', the same as the ${kind} label`, 'give each type its own label name');
    }
  }
  return {
    token: inputs.optional(Input.GitHubToken),
    rules,
    failOnMixed: inputs.boolean(Input.FailOnMixed, true),
    promotionBranches: compileGlobs(Input.PromotionBranches, inputs.multiline(Input.PromotionBranches), { kind: 'branch' }),
    labels: inputs.boolean(Input.Labels, true),
    labelNames,
    comment: inputs.boolean(Input.Comment, true),
    flow: parseBranchFlow(Input.BranchFlow, inputs.multiline(Input.BranchFlow)),
    base: inputs.optional(Input.Base),
    head: inputs.optional(Input.Head),
    ...readSourceHealthConfig(inputs),
  };
}

function readSourceHealthConfig(inputs: Inputs): SourceHealthConfig {
  const lines = inputs.multiline(Input.SourceEnvironments);
  return {
    requireHealthySource: inputs.boolean(Input.RequireHealthySource, false),
    sourceEnvironments: parseSourceEnvironments(Input.SourceEnvironments, lines.length > 0 ? lines : DEFAULT_SOURCE_ENVIRONMENTS),
    deploymentTask: inputs.optional(Input.DeploymentTask) ?? 'deploy:ecs',
    deployIgnore: compileGlobs(Input.DeployIgnorePaths, orDefault(inputs.multiline(Input.DeployIgnorePaths), DEFAULT_DEPLOY_IGNORE_PATHS)),
    terraform: compileGlobs(Input.TerraformPaths, orDefault(inputs.multiline(Input.TerraformPaths), DEFAULT_TERRAFORM_PATHS)),
    terraformDeploymentTask: inputs.optional(Input.TerraformDeploymentTask) ?? 'terraform:apply',
  };
}

const orDefault = (lines: string[], fallback: readonly string[]) => (lines.length > 0 ? lines : fallback);
