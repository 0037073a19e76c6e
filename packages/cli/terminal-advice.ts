/**
 * The engines' messages are written for a workflow step ("re-run the job", "the role the job
 * assumes"); on a terminal the same failure gets the advice a person at a shell can follow.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './errors';

export function forTerminal(message: string, env: NodeJS.ProcessEnv = process.env): string {
  const profile = env.AWS_PROFILE;
  return message
    .replace(
      / Re-run the job or raise role-duration-seconds in aws-actions\/configure-aws-credentials\./g,
      ` Log in again (${profile ? `aws sso login --profile ${profile}, or refresh that profile's keys` : 'aws sso login, or fresh keys in the environment'}) and run the command again.`,
    )
    .replace(/ to the role the job assumes\./g, ` to ${profile ? `the role or user of AWS profile ${profile}` : 'the role or user your AWS credentials belong to'}.`);
}

/** The profiles of the shared config and credentials files (`[profile x]`, `[x]`). */
function profiles(env: NodeJS.ProcessEnv): { names: Set<string>; files: string[] } {
  const files = [env.AWS_CONFIG_FILE ?? path.join(homedir(), '.aws', 'config'), env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(homedir(), '.aws', 'credentials')];
  const names = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)) names.add(match[1]);
  }
  return { names, files };
}

/** AWS_PROFILE naming a profile that no file has: said with its name, before any AWS call. */
export function checkProfile(env: NodeJS.ProcessEnv = process.env): void {
  const profile = env.AWS_PROFILE;
  if (!profile) return;
  const { names, files } = profiles(env);
  if (names.has(profile)) return;
  const known = [...names].filter((n) => n !== 'default' || names.size === 1);
  throw new UsageError(
    `AWS_PROFILE is '${profile}', but there is no profile '${profile}' in ${files.join(' or ')}${known.length ? ` (profiles there: ${known.join(', ')})` : ''}; set AWS_PROFILE to one of them, or create it (aws configure sso --profile ${profile}).`,
  );
}
