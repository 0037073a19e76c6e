/**
 * POST /graphql: a small schema (enough for sticky comments: minimizeComment, unminimizeComment,
 * node, viewer, rateLimit), validated before anything runs, as GitHub does, so a query asking for a
 * field that does not exist changes nothing and answers `Field 'x' doesn't exist on type 'Y'`.
 * Answers contain only the fields asked for (aliases honoured). Errors ride in a 200 answer, the way
 * GitHub sends them, so Octokit's graphql() throws a GraphqlResponseError.
 */
import { isoTime, type Reply } from './http';
import type { CommentRecord, RepoRecord } from './model';
import { GraphQLSyntaxError, parseDocument, selectOperation, valueOf, type Field, type Operation, type Selection } from './graphql-parser';
import { GRAPHQL_PERMISSIONS, allows, forbiddenMessage, type TokenGrant } from './permissions';
import type { GitHubStore } from './store';

export interface GraphQLError {
  message: string;
  type?: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}

/** Field -> type name. Scalars are the names in SCALARS; everything else must be selected into. */
const SCHEMA: Record<string, Record<string, string>> = {
  Query: { node: 'Node', viewer: 'Actor', rateLimit: 'RateLimit' },
  Mutation: { minimizeComment: 'MinimizeCommentPayload', unminimizeComment: 'UnminimizeCommentPayload' },
  MinimizeCommentPayload: { clientMutationId: 'String', minimizedComment: 'IssueComment' },
  UnminimizeCommentPayload: { clientMutationId: 'String', unminimizedComment: 'IssueComment' },
  Node: { id: 'ID' },
  IssueComment: {
    id: 'ID',
    databaseId: 'Int',
    body: 'String',
    isMinimized: 'Boolean',
    minimizedReason: 'String',
    url: 'URI',
    createdAt: 'DateTime',
    updatedAt: 'DateTime',
    viewerCanMinimize: 'Boolean',
    author: 'Actor',
  },
  Actor: { login: 'String' },
  RateLimit: { limit: 'Int', remaining: 'Int', used: 'Int', cost: 'Int', resetAt: 'DateTime', nodeCount: 'Int' },
};
const SCALARS = new Set(['ID', 'Int', 'String', 'Boolean', 'URI', 'DateTime']);
/** Interfaces and the object types that implement them (for inline fragments). */
const IMPLEMENTS: Record<string, string[]> = { Node: ['IssueComment'], Actor: ['Bot', 'User'] };

const CLASSIFIERS = new Set(['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED']);

export interface ParsedGraphQL {
  operation?: Operation;
  /** Set when the request cannot run (not JSON, no query, a parse error). */
  error?: string;
  variables: Record<string, unknown>;
}

/** Parses a request body once; the server uses the result both to log it and to run it. */
export function parseGraphQLRequest(body: unknown): ParsedGraphQL {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  const variables = request.variables && typeof request.variables === 'object' ? (request.variables as Record<string, unknown>) : {};
  if (typeof request.query !== 'string') return { error: 'A query attribute must be specified and must be a string.', variables };
  try {
    const operation = selectOperation(parseDocument(request.query), typeof request.operationName === 'string' ? request.operationName : undefined);
    return { operation, variables };
  } catch (error) {
    if (error instanceof GraphQLSyntaxError) return { error: error.message, variables };
    throw error;
  }
}

export function isMutation(parsed: ParsedGraphQL): boolean {
  return parsed.operation?.type === 'mutation';
}

/** Validates selections against SCHEMA; returns the errors (empty when valid). */
function validate(selections: Selection[], type: string, path: string[], errors: GraphQLError[]): void {
  const fields = SCHEMA[type] ?? {};
  for (const selection of selections) {
    if (selection.kind === 'fragment') {
      const target = selection.typeCondition ?? type;
      if (!SCHEMA[target] && !IMPLEMENTS[type]?.includes(target)) {
        errors.push({ message: `No such type ${target}, so it can't be a fragment condition`, path });
        continue;
      }
      validate(selection.selections, SCHEMA[target] ? target : type, path, errors);
      continue;
    }
    const key = selection.alias ?? selection.name;
    if (selection.name === '__typename') continue;
    const fieldType = fields[selection.name];
    if (!fieldType) {
      errors.push({
        message: `Field '${selection.name}' doesn't exist on type '${type}'`,
        path: [...path, key],
        extensions: { code: 'undefinedField', typeName: type, fieldName: selection.name },
      });
      continue;
    }
    if (SCALARS.has(fieldType)) {
      if (selection.selections) errors.push({ message: `Selections can't be made on scalars (field '${selection.name}' returns ${fieldType})`, path: [...path, key] });
    } else if (!selection.selections) {
      errors.push({ message: `Field must have selections (field '${selection.name}' returns ${fieldType} but has no selections)`, path: [...path, key] });
    } else {
      validate(selection.selections, fieldType, [...path, key], errors);
    }
  }
}

/** Keeps only what was selected, under its alias. */
function project(value: unknown, selections: Selection[] | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, selections));
  if (!selections || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const selection of selections) {
    if (selection.kind === 'fragment') {
      if (!selection.typeCondition || selection.typeCondition === source.__typename || IMPLEMENTS[selection.typeCondition]?.includes(String(source.__typename))) {
        Object.assign(result, project(value, selection.selections));
      }
      continue;
    }
    result[selection.alias ?? selection.name] = project(source[selection.name], selection.selections);
  }
  return result;
}

class FieldError extends Error {
  constructor(message: string, readonly type?: string) {
    super(message);
  }
}

function commentNode(store: GitHubStore, repo: RepoRecord, comment: CommentRecord): Record<string, unknown> {
  const issue = repo.issues.get(comment.issueNumber);
  return {
    __typename: 'IssueComment',
    id: comment.nodeId,
    databaseId: comment.id,
    body: comment.body,
    isMinimized: comment.minimized,
    minimizedReason: comment.minimizedReason,
    url: `${store.repoHtmlUrl(repo)}/${issue?.pull ? 'pull' : 'issues'}/${comment.issueNumber}#issuecomment-${comment.id}`,
    createdAt: isoTime(comment.createdAt),
    updatedAt: isoTime(comment.updatedAt),
    viewerCanMinimize: true,
    author: { __typename: comment.user.type, login: comment.user.login },
  };
}

function findComment(store: GitHubStore, subjectId: unknown): { repo: RepoRecord; comment: CommentRecord } {
  const target = typeof subjectId === 'string' ? store.node(subjectId) : undefined;
  // A deleted comment keeps its node registration; it is gone when its repository no longer has it.
  if (!target || target.repo.comments.get(target.comment.id) !== target.comment) {
    throw new FieldError(`Could not resolve to a node with the global id of '${String(subjectId)}'`, 'NOT_FOUND');
  }
  return target;
}

function input(args: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = args.input;
  if (!value || typeof value !== 'object') throw new FieldError(`Argument 'input' on Field '${name}' is required.`);
  return value as Record<string, unknown>;
}

type Resolver = (store: GitHubStore, args: Record<string, unknown>) => unknown;

const MUTATIONS: Record<string, Resolver> = {
  minimizeComment(store, args) {
    const { subjectId, classifier, clientMutationId } = input(args, 'minimizeComment');
    if (typeof classifier !== 'string' || !CLASSIFIERS.has(classifier)) {
      throw new FieldError(`Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${String(classifier)}). Expected type 'ReportedContentClassifiers!'.`);
    }
    const { repo, comment } = findComment(store, subjectId);
    comment.minimized = true;
    comment.minimizedReason = classifier.toLowerCase();
    return { clientMutationId: clientMutationId ?? null, minimizedComment: commentNode(store, repo, comment) };
  },
  unminimizeComment(store, args) {
    const { subjectId, clientMutationId } = input(args, 'unminimizeComment');
    const { repo, comment } = findComment(store, subjectId);
    comment.minimized = false;
    comment.minimizedReason = null;
    return { clientMutationId: clientMutationId ?? null, unminimizedComment: commentNode(store, repo, comment) };
  },
};

const QUERIES: Record<string, Resolver> = {
  node(store, args) {
    const { repo, comment } = findComment(store, args.id);
    return commentNode(store, repo, comment);
  },
  viewer(store) {
    return { __typename: store.actor.type, login: store.actor.login };
  },
  rateLimit(store) {
    return { limit: 5000, remaining: 4999, used: 1, cost: 1, nodeCount: 0, resetAt: isoTime(store.now() + 3_600_000) };
  },
};

export interface ExecuteOptions {
  /** The token's grant: a root field it does not allow answers FORBIDDEN and changes nothing. */
  grant: TokenGrant;
}

/** The root fields, inline fragments on the root type flattened. */
export function rootFields(selections: Selection[]): Field[] {
  return selections.flatMap((selection) => (selection.kind === 'field' ? [selection] : rootFields(selection.selections)));
}

export function executeGraphQL(store: GitHubStore, parsed: ParsedGraphQL, options: ExecuteOptions): Reply {
  const { operation, variables } = parsed;
  if (!operation) {
    if (parsed.error?.startsWith('A query attribute')) return { status: 400, body: { message: parsed.error, documentation_url: 'https://docs.github.com/graphql' } };
    return { status: 200, body: { errors: [{ message: parsed.error ?? 'Parse error' }] } };
  }
  if (operation.type === 'subscription') return { status: 200, body: { errors: [{ message: 'Subscriptions are not supported' }] } };

  const rootType = operation.type === 'mutation' ? 'Mutation' : 'Query';
  const errors: GraphQLError[] = [];
  validate(operation.selections, rootType, [], errors);
  for (const definition of operation.variables) {
    if (!(definition.name in variables) && definition.defaultValue) variables[definition.name] = valueOf(definition.defaultValue, {});
  }
  if (errors.length > 0) return { status: 200, body: { errors } };

  const resolvers = operation.type === 'mutation' ? MUTATIONS : QUERIES;
  const data: Record<string, unknown> = {};
  for (const field of rootFields(operation.selections)) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      data[key] = rootType;
      continue;
    }
    if (!allows(options.grant, GRAPHQL_PERMISSIONS[`${operation.type} ${field.name}`] ?? [])) {
      data[key] = null;
      errors.push({ type: 'FORBIDDEN', path: [key], message: forbiddenMessage(options.grant) });
      continue;
    }
    const args = Object.fromEntries(Object.entries(field.args).map(([name, value]) => [name, valueOf(value, variables)]));
    try {
      data[key] = project(resolvers[field.name]!(store, args), field.selections);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      data[key] = null;
      errors.push({ ...(error.type ? { type: error.type } : {}), path: [key], message: error.message });
    }
  }
  return { status: 200, body: errors.length > 0 ? { data, errors } : { data } };
}
