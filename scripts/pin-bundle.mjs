#!/usr/bin/env node
/**
 * Pins this bundle's own actions in workflow files to a release's commit:
 *   uses: acme/connect2-actions/ecs-deploy@v1   ->   uses: acme/connect2-actions/ecs-deploy@<40-hex sha> # v1.4.0
 * `@v1` is the convenience form (it moves with every v1 release); a SHA cannot move, so what runs is what
 * was reviewed. Every owner's `<owner>/connect2-actions/<action>@<ref>` is rewritten; other actions are
 * left alone.
 *
 *   node scripts/pin-bundle.mjs <tag> [--dir <workflows folder>] [--repo <git path or URL>] [--sha <commit>] [--check]
 *
 * The tag's commit comes from `git ls-remote <repo>` (default: this repository; give the URL of your copy
 * of the bundle when pinning an application's .github/workflows), or from --sha (release.yml passes the
 * commit it released). --check changes nothing and exits 1 when a file is not pinned to that commit.
 * Exit codes: 0 done, 1 a pin differs (--check) or the tag does not exist, 2 bad arguments.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TAG = /^v\d+\.\d+\.\d+$/;
const SHA = /^[0-9a-f]{40}$/;
/** `uses: <owner>/connect2-actions/<action>@<ref>` and the comment after it, if any. */
const BUNDLE_USES = /^(\s*(?:-\s+)?uses:\s*)([A-Za-z0-9_.-]+\/connect2-actions\/[a-z0-9-]+)@([^\s#]+)([ \t]*#[^\n]*)?$/gm;

export function parseArguments(argv) {
  const options = { dir: path.join(ROOT, 'workflows-templates'), repo: ROOT, check: false };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift();
    if (arg === '--check') options.check = true;
    else if (arg === '--dir' || arg === '--repo' || arg === '--sha') {
      const value = rest.shift();
      if (!value) throw new UsageError(`${arg} needs a value`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}: use --dir, --repo, --sha or --check`);
    else if (options.tag) throw new UsageError(`one tag only, got '${options.tag}' and '${arg}'`);
    else options.tag = arg;
  }
  if (!options.tag || !TAG.test(options.tag)) throw new UsageError(`tag: '${options.tag ?? ''}' is not a release tag: give one such as v1.4.0`);
  if (options.sha !== undefined && !SHA.test(options.sha)) throw new UsageError(`--sha: '${options.sha}' is not a full 40-character commit SHA`);
  return options;
}

export class UsageError extends Error {}

/** The commit a tag names in a repository (an annotated tag is peeled to its commit). */
export function tagCommit(repo, tag) {
  const output = execFileSync('git', ['ls-remote', '--tags', repo, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], { encoding: 'utf8' });
  const lines = output.trim().split('\n').filter(Boolean).map((line) => line.split('\t'));
  const peeled = lines.find(([, ref]) => ref.endsWith('^{}')) ?? lines[0];
  return peeled?.[0];
}

/** The text with every bundle action pinned; `changed` lists `action: old -> new` for each rewrite. */
export function pinText(text, sha, tag) {
  const changed = [];
  const pinned = text.replace(BUNDLE_USES, (line, prefix, action, ref, comment = '') => {
    const next = `${prefix}${action}@${sha} # ${tag}`;
    if (ref !== sha || comment.trim() !== `# ${tag}`) changed.push(`${action}: ${ref}${comment.trim() ? ` ${comment.trim()}` : ''} -> ${sha.slice(0, 12)} # ${tag}`);
    return next;
  });
  return { text: pinned, changed };
}

export function pinFolder(dir, sha, tag, check) {
  const report = [];
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    const full = path.join(dir, file);
    const { text, changed } = pinText(readFileSync(full, 'utf8'), sha, tag);
    if (changed.length === 0) continue;
    report.push(...changed.map((line) => `${file}: ${line}`));
    if (!check) writeFileSync(full, text);
  }
  return report;
}

function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`pin-bundle: ${error.message}`);
    return 2;
  }
  const sha = options.sha ?? tagCommit(options.repo, options.tag);
  if (!sha) {
    console.error(`pin-bundle: there is no tag ${options.tag} in ${options.repo}`);
    return 1;
  }
  const report = pinFolder(options.dir, sha, options.tag, options.check);
  for (const line of report) console.log(`${options.check ? 'not pinned: ' : 'pinned '}${line}`);
  if (options.check) {
    if (report.length > 0) return 1;
    console.log(`Every bundle action in ${path.relative(process.cwd(), options.dir) || '.'} is pinned to ${options.tag} (${sha}).`);
    return 0;
  }
  console.log(`${report.length} reference(s) pinned to ${options.tag} (${sha}) in ${path.relative(process.cwd(), options.dir) || '.'}.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
