/**
 * A value checked against an OpenAPI schema (3.0's `nullable` and 3.1's type lists, `$ref`, `allOf`,
 * `anyOf`/`oneOf`, `enum`, `properties`, `required`, `items`, `format: date-time`), collecting every
 * mismatch with the dotted path of the field (`head.repo.owner.login`, `files[].status`), so a failing
 * test names the field. A field the schema requires but the answer lacks is only a mismatch when the
 * caller says the field matters (`mustHave`): the simulators answer the fields this project reads, not
 * all of GitHub's; a field that is present must always have the documented type and values.
 */

export type Schema = Record<string, any>;

export interface Mismatch {
  /** `head.sha`, `[].filename`, `(root)`. */
  field: string;
  problem: string;
}

export interface CheckOptions {
  /** The document `$ref`s point into. */
  root: Schema;
  /** Is a missing required field a mismatch? (field path as in Mismatch.field) */
  mustHave?: (field: string) => boolean;
}

const MAX_DEPTH = 40;

export function checkValue(schema: Schema, value: unknown, options: CheckOptions): Mismatch[] {
  const out: Mismatch[] = [];
  visit(schema, value, '', options, out, 0);
  return out;
}

/** Follows `$ref`s (`#/components/schemas/x`) to the schema they name. */
export function resolve(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops++) {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node: any, key: string) => node?.[key], root);
    if (!current) throw new Error(`unresolvable $ref ${schema.$ref}`);
  }
  return current;
}

const label = (path: string) => path || '(root)';
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function visit(raw: Schema, value: unknown, path: string, options: CheckOptions, out: Mismatch[], depth: number): void {
  if (depth > MAX_DEPTH || !raw) return;
  const schema = resolve(raw, options.root);
  if (schema.allOf) for (const part of schema.allOf as Schema[]) visit(part, value, path, options, out, depth + 1);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    if (value === null && schema.nullable) return;
    const tries = alternatives.map((alternative) => {
      const found: Mismatch[] = [];
      visit(alternative, value, path, options, found, depth + 1);
      return found;
    });
    if (tries.some((found) => found.length === 0)) return;
    const closest = tries.reduce((best, found) => (found.length < best.length ? found : best));
    out.push({ field: label(path), problem: `matches none of the ${alternatives.length} documented alternatives (closest: ${closest.map((m) => `${m.field}: ${m.problem}`).join('; ')})` });
    return;
  }
  if (!checkType(schema, value, path, out)) return;
  if (value === null) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    out.push({ field: label(path), problem: `${JSON.stringify(value)} is not one of the documented values ${JSON.stringify(schema.enum)}` });
  }
  if (schema.format === 'date-time' && typeof value === 'string' && Number.isNaN(Date.parse(value))) {
    out.push({ field: label(path), problem: `${JSON.stringify(value)} is not a date-time` });
  }
  if (Array.isArray(value) && schema.items) {
    const itemPath = `${path}[]`;
    // One mismatch per field is enough to name it: stop at the first item that breaks.
    for (const item of value) {
      const before = out.length;
      visit(schema.items, item, itemPath, options, out, depth + 1);
      if (out.length > before) break;
    }
  }
  if (isObject(value)) visitObject(schema, value, path, options, out, depth);
}

function visitObject(schema: Schema, value: Record<string, unknown>, path: string, options: CheckOptions, out: Mismatch[], depth: number): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    const field = join(path, name);
    if (!(name in value) && options.mustHave?.(field)) out.push({ field, problem: 'is required by the description but missing' });
  }
  for (const [name, child] of Object.entries(value)) {
    const property = properties[name];
    if (property) visit(property, child, join(path, name), options, out, depth + 1);
    else if (isObject(schema.additionalProperties)) visit(schema.additionalProperties, child, join(path, name), options, out, depth + 1);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Records a type mismatch; false when the value's type is wrong (nothing deeper is worth checking). */
function checkType(schema: Schema, value: unknown, path: string, out: Mismatch[]): boolean {
  const declared: string[] | undefined = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === null) {
    const nullable = schema.nullable === true || declared?.includes('null') || (Array.isArray(schema.enum) && schema.enum.includes(null));
    if (declared && !nullable) {
      out.push({ field: label(path), problem: `is null; the description says ${declared.join(' | ')}, not nullable` });
      return false;
    }
    return true;
  }
  if (!declared) return true;
  const actual = typeOf(value);
  const fits = declared.includes(actual) || (actual === 'integer' && declared.includes('number'));
  if (!fits) out.push({ field: label(path), problem: `is ${actual} (${JSON.stringify(value)?.slice(0, 60)}); the description says ${declared.join(' | ')}` });
  return fits;
}

/** Does the schema describe this field at all (`head.repo.owner.login`, `[].name`)? */
export function describes(schema: Schema, field: string, root: Schema): boolean {
  const parts = field.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'].filter(Boolean) : [part]));
  return walk(schema, parts, root, 0);
}

function walk(raw: Schema, parts: string[], root: Schema, depth: number): boolean {
  if (parts.length === 0) return true;
  if (depth > MAX_DEPTH || !raw) return false;
  const schema = resolve(raw, root);
  const branches = [...((schema.allOf ?? []) as Schema[]), ...((schema.anyOf ?? []) as Schema[]), ...((schema.oneOf ?? []) as Schema[])];
  if (branches.some((branch) => walk(branch, parts, root, depth + 1))) return true;
  const [head, ...rest] = parts;
  if (head === '[]') return schema.items ? walk(schema.items, rest, root, depth + 1) : false;
  const property = schema.properties?.[head!];
  return property ? walk(property, rest, root, depth + 1) : false;
}
