/**
 * What may be in a tag name: git's rules (git-check-ref-format) as they apply to
 * `refs/tags/<prefix><version>`, checked on the prefix before any call so that a bad prefix fails
 * with its reason rather than as a 422 from the refs API halfway through a release.
 */

/** Why `prefix` cannot start a tag name, or undefined when it can. */
export function tagPrefixProblem(prefix: string): string | undefined {
  if (/\s/.test(prefix)) return 'contains whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(prefix)) return 'contains a control character';
  const bad = /[~^:?*[\\]/.exec(prefix);
  if (bad) return `contains '${bad[0]}', which git does not allow in a ref name`;
  if (prefix.includes('..')) return `contains '..', which git does not allow in a ref name`;
  if (prefix.includes('@{')) return `contains '@{', which git does not allow in a ref name`;
  if (prefix.startsWith('/') || prefix.includes('//')) return 'has an empty path component (a leading or double slash)';
  const components = prefix.split('/');
  // Every component but the last is complete; the last is continued by the version digits.
  if (components.some((component) => component.startsWith('.'))) return `has a path component starting with '.'`;
  if (components.slice(0, -1).some((component) => component.endsWith('.lock'))) return `has a path component ending with '.lock'`;
  if (/\d$/.test(prefix)) return `ends with a digit, so '${prefix}1.0.0' could not be told from another version`;
  return undefined;
}

/** Why `ref` cannot name a commit to the GitHub API (a SHA, branch, tag or `refs/...`), or undefined. */
export function targetProblem(ref: string): string | undefined {
  if (/\s/.test(ref)) return 'contains whitespace';
  const bad = /[~^:?*[\\]/.exec(ref);
  if (bad) return `contains '${bad[0]}' (revision expressions like 'main~1' are not resolved by the API)`;
  if (ref.includes('..')) return `contains '..' (a range, not a commit)`;
  return undefined;
}
