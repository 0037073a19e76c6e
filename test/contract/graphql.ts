/**
 * GraphQL documents and answers checked against GitHub's public schema (`@octokit/graphql-schema`):
 * a document must validate (graphql-js's rules, as GitHub runs them), and an answer must hold, field by
 * field along the document's selections, the types the schema gives (non-null, lists, scalars, enums).
 */
import { schema as published } from '@octokit/graphql-schema';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  Kind,
  parse,
  validate,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type GraphQLCompositeType,
} from 'graphql';

let schema: GraphQLSchema | undefined;

function githubSchema(): GraphQLSchema {
  // The published SDL defines two EnterpriseOwnerInfo fields twice (identically); graphql-js's SDL
  // validation refuses that, so it is skipped: documents are still validated in full.
  schema ??= buildSchema(published.idl, { assumeValidSDL: true });
  return schema;
}

/** graphql-js's validation errors for a document, as `<message>`; [] when GitHub would run it. */
export function validateDocument(document: string): string[] {
  return validate(githubSchema(), parse(document)).map((error) => error.message);
}

/** Mismatches of an answer (`{ data, errors }`) to the document it answers, `<field path>: <problem>`. */
export function checkAnswer(document: string, answer: { data?: unknown; errors?: unknown }): string[] {
  const found: string[] = [];
  if (answer.errors !== undefined) {
    if (!Array.isArray(answer.errors)) found.push('errors: not a list');
    else for (const error of answer.errors as Record<string, unknown>[]) if (typeof error?.message !== 'string') found.push('errors[]: an error without its message');
  }
  if (answer.data === undefined || answer.data === null) return found;
  const ast = parse(document);
  const operation = ast.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [...found, '(document): no operation'];
  const root = operation.operation === 'mutation' ? githubSchema().getMutationType() : githubSchema().getQueryType();
  checkSelections(root!, operation.selectionSet, answer.data as Record<string, unknown>, '', found);
  return found;
}

function checkSelections(parent: GraphQLCompositeType, selections: SelectionSetNode, value: Record<string, unknown>, at: string, found: string[]): void {
  const typename = typeof value.__typename === 'string' ? value.__typename : undefined;
  for (const selection of selections.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? (githubSchema().getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
      // Without __typename the fragment's fields are checked when present (an abstract parent).
      if (!typename || typename === condition.name || (!isObjectType(condition) && typename)) checkSelections(condition, selection.selectionSet, value, at, found);
      continue;
    }
    if (selection.kind !== Kind.FIELD) continue;
    const key = selection.alias?.value ?? selection.name.value;
    const where = at ? `${at}.${key}` : key;
    if (selection.name.value === '__typename') continue;
    if (isUnionType(parent)) continue;
    const field = (parent as { getFields(): Record<string, { type: GraphQLOutputType }> }).getFields()[selection.name.value];
    if (!field) {
      found.push(`${where}: not a field of ${parent.name}`);
      continue;
    }
    if (!(key in value)) {
      if (!isInterfaceType(parent) && !typename) found.push(`${where}: asked for but missing from the answer`);
      continue;
    }
    checkValue(field.type, value[key], selection.selectionSet, where, found);
  }
}

function checkValue(type: GraphQLOutputType, value: unknown, selections: SelectionSetNode | undefined, where: string, found: string[]): void {
  if (value === null) {
    if (isNonNullType(type)) found.push(`${where}: null, the schema says ${String(type)}`);
    return;
  }
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) found.push(`${where}: not a list, the schema says ${String(type)}`);
    else value.forEach((item, index) => checkValue(inner.ofType, item, selections, `${where}[${index}]`, found));
    return;
  }
  const named = getNamedType(inner);
  if (isEnumType(named)) {
    if (!named.getValues().some((v) => v.name === value)) found.push(`${where}: ${JSON.stringify(value)} is not a value of ${named.name}`);
    return;
  }
  if (selections) {
    if (typeof value !== 'object' || Array.isArray(value)) found.push(`${where}: not an object, the schema says ${named.name}`);
    else checkSelections(named as GraphQLCompositeType, selections, value as Record<string, unknown>, where, found);
    return;
  }
  const expected: Record<string, (v: unknown) => boolean> = {
    Boolean: (v) => typeof v === 'boolean',
    Int: (v) => Number.isInteger(v),
    Float: (v) => typeof v === 'number',
    String: (v) => typeof v === 'string',
    ID: (v) => typeof v === 'string',
  };
  const test = expected[named.name] ?? ((v: unknown) => typeof v === 'string');
  if (!test(value)) found.push(`${where}: ${JSON.stringify(value)} is not a ${named.name}`);
}
