/** The api-diff engine in process: what api-smart-diff calls breaking, named by operation; pruning changes nothing. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../packages/action-kit';
import { compareSpecs, readSpec, renderReport, safeText, summarizeChanges, type OpenApiDocument } from '../../packages/api-diff';
import { largeApi, usersApi, withoutEmail, type Spec } from './specs';

const compare = (base: Spec, head: Spec) => compareSpecs(base as OpenApiDocument, head as OpenApiDocument);

describe('compareSpecs', () => {
  it('a removed required response field of /users is breaking, named by operation', () => {
    const changes = compare(usersApi(), withoutEmail());
    const breaking = changes.filter((c) => c.breaking);
    expect(breaking.map((c) => `${c.method} ${c.path}`)).toEqual(expect.arrayContaining(['GET /api/v1/users', 'POST /api/v1/users']));
    expect(breaking.filter((c) => c.method === 'GET').map((c) => c.message)).toContain('[Removed] property `email` from `[]` in Response 200 content (application/json)');
    expect(summarizeChanges(changes)).toMatch(/^\d+ breaking, \d+ other changes?$/);
  });

  it('removed operation, new required parameter, narrowed enum: breaking; a new optional field: not', () => {
    const head = usersApi();
    delete head.paths['/health'];
    head.paths['/api/v1/users'].get.parameters.push({ name: 'tenant', in: 'query', required: true, schema: { type: 'string' } });
    head.components.schemas.UserCreate.properties.role.enum = ['member'];
    head.components.schemas.User.properties.phone = { type: 'string' };
    const changes = compare(usersApi(), head);
    const breaking = changes.filter((c) => c.breaking).map((c) => `${c.kind} ${c.method} ${c.path}`);
    expect(breaking).toEqual(expect.arrayContaining(['removed GET /health', 'added GET /api/v1/users', 'removed POST /api/v1/users']));
    expect(changes.filter((c) => !c.breaking).some((c) => /phone/.test(c.message))).toBe(true);
    expect(changes[0].breaking).toBe(true); // breaking first
  });

  it('no change: nothing', () => {
    expect(compare(usersApi(), usersApi())).toEqual([]);
    expect(summarizeChanges([])).toBe('no changes');
  });

  it('leaving out unchanged path items gives the same changes as comparing everything', async () => {
    const { apiCompare } = await import('api-smart-diff');
    for (const change of ['one-operation', 'shared-schema'] as const) {
      const base = largeApi(40);
      const head = largeApi(40, change);
      const full = apiCompare(base, head).diffs.filter((d) => d.path[0] !== 'components' || d.type === 'breaking');
      expect(compare(base, head)).toHaveLength(full.length);
    }
  });
});

describe('readSpec', () => {
  const file = (name: string, text: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-diff-'));
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  it('reads JSON and YAML', () => {
    expect(readSpec(file('a.json', JSON.stringify(usersApi())), 'base-spec').openapi).toBe('3.1.0');
    expect(readSpec(file('a.yaml', 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n'), 'head-spec').openapi).toBe('3.0.3');
  });
  it.each([
    ['missing', undefined, /no such file/],
    ['not json', '{ nope', /neither JSON nor YAML/],
    ['swagger', JSON.stringify({ swagger: '2.0', paths: {} }), /not an OpenAPI 3.0 or 3.1 document \(Swagger 2.0\)/],
  ])('%s is an InputError naming the input', (_name, text, message) => {
    const target = text === undefined ? '/nonexistent/openapi.json' : file('x.json', text);
    expect(() => readSpec(target, 'head-spec')).toThrow(InputError);
    expect(() => readSpec(target, 'head-spec')).toThrow(message);
    expect(() => readSpec(target, 'head-spec')).toThrow(/^Input 'head-spec'/);
  });
});

describe('renderReport', () => {
  it('escapes spec text: no HTML, no mentions', () => {
    expect(safeText('<img src=x> @octocat')).toBe('&lt;img src=x&gt; @\u200boctocat');
    const head = usersApi();
    head.paths['/api/v1/<script>@admin'] = head.paths['/health'];
    const report = renderReport(compare(usersApi(), head), { name: 'api', failOnBreaking: true });
    expect(report).not.toMatch(/<script>|@admin/);
  });
});
