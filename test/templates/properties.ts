// GitHub's workflow-template metadata: every template `x.yml` has `x.properties.json`
// ({ name, description, iconName, categories, filePatterns? }), or it does not show in "New workflow".
import { isObject } from './workflow';

export function propertiesProblems(file: string, raw: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return [`${file}: not JSON (${(error as Error).message})`];
  }
  if (!isObject(data)) return [`${file}: not an object`];
  const problems: string[] = [];
  for (const key of ['name', 'description', 'iconName'] as const) {
    if (typeof data[key] !== 'string' || data[key] === '') problems.push(`${file}: ${key} must be a non-empty string`);
  }
  const categories = data.categories;
  if (!Array.isArray(categories) || categories.length === 0 || !categories.every((c) => typeof c === 'string')) {
    problems.push(`${file}: categories must be a non-empty list of strings`);
  }
  if (data.filePatterns !== undefined) {
    const patterns = data.filePatterns;
    if (!Array.isArray(patterns) || !patterns.every((p) => typeof p === 'string')) {
      problems.push(`${file}: filePatterns must be a list of strings`);
    } else {
      // GitHub matches them as regular expressions against the repository's file paths.
      for (const pattern of patterns) {
        try {
          new RegExp(pattern);
        } catch {
          problems.push(`${file}: filePatterns entry ${JSON.stringify(pattern)} is not a regular expression`);
        }
      }
    }
  }
  const known = new Set(['name', 'description', 'iconName', 'categories', 'filePatterns', 'creator', 'labels']);
  for (const key of Object.keys(data)) if (!known.has(key)) problems.push(`${file}: unknown key ${key}`);
  return problems;
}
