/** api-diff's inputs, read and checked before both documents are read and before any GitHub call. */
import { InputError, type Inputs } from '../../packages/action-kit';
import { Input } from './names';

export interface Settings {
  baseFile: string;
  headFile: string;
  failOnBreaking: boolean;
  /** The label that allows an intended break; '' when none does. */
  breakingLabel: string;
  comment: boolean;
  name: string;
  token?: string;
}

/** Every input, checked before the first GitHub call. */
export function readApiDiffInputs(inputs: Inputs): Settings {
  const name = inputs.optional(Input.Name) ?? 'api';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new InputError(Input.Name, `is '${name}'`, 'use up to 64 letters, digits, dots, dashes or underscores (it keys the sticky comment)');
  const breakingLabel = inputs.optional(Input.BreakingLabel) ?? '';
  if (breakingLabel.length > 50 || /[\r\n,]/.test(breakingLabel)) throw new InputError(Input.BreakingLabel, `is '${breakingLabel.slice(0, 60)}', not one GitHub label name`, "use one label name of up to 50 characters, e.g. 'breaking-change', or '' so that no label allows a break");
  return {
    baseFile: inputs.required(Input.BaseSpec),
    headFile: inputs.required(Input.HeadSpec),
    failOnBreaking: inputs.boolean(Input.FailOnBreaking, true),
    breakingLabel,
    comment: inputs.boolean(Input.Comment, true),
    name,
    token: inputs.optional(Input.GitHubToken),
  };
}
