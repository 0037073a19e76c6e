import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { propertiesProblems } from './properties';
import { TEMPLATES_DIR } from './workflow';

const files = readdirSync(TEMPLATES_DIR);
const workflows = files.filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ''));
const properties = files.filter((f) => f.endsWith('.properties.json')).map((f) => f.replace('.properties.json', ''));

describe('workflow template metadata', () => {
  it('pairs every template with its properties file and no orphan', () => {
    expect(properties.sort()).toEqual(workflows.sort());
  });

  it.each(properties)('%s.properties.json is valid', (name) => {
    const file = `${name}.properties.json`;
    expect(propertiesProblems(file, readFileSync(join(TEMPLATES_DIR, file), 'utf8'))).toEqual([]);
  });

  it.each([
    ['not JSON', '{ name: x }', /not JSON/],
    ['no name', '{"description":"d","iconName":"i","categories":["Deployment"]}', /name must be/],
    ['empty categories', '{"name":"n","description":"d","iconName":"i","categories":[]}', /categories/],
    ['a broken pattern', '{"name":"n","description":"d","iconName":"i","categories":["x"],"filePatterns":["(\\\\.tf$"]}', /not a regular expression/],
    ['a misspelt key', '{"name":"n","description":"d","iconName":"i","categories":["x"],"filePattern":["x"]}', /unknown key filePattern/],
  ])('fails on %s', (_label, raw, message) => {
    expect(propertiesProblems('bad.properties.json', raw).join('\n')).toMatch(message);
  });
});
