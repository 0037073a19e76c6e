/**
 * Method + path pattern -> handler. Octokit percent-encodes path parameters (a ref such as
 * `tags/v1.0.0` arrives as `tags%2Fv1.0.0`) while curl users send raw slashes, so matching works on
 * decoded segments, and a trailing `*name` parameter swallows the rest of the path in either form.
 */
import type { Reply } from './http';
import type { Actor } from './model';
import { ROUTE_PERMISSIONS, type Requirement, type TokenGrant } from './permissions';

export interface RouteContext<State> {
  method: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body ({} when there is none). */
  body: any;
  /** The full request URL (for Link headers). */
  url: URL;
  state: State;
  /** The grant of the token that made the request. */
  grant: TokenGrant;
  /** The account the token acts as (writes are attributed to it). */
  actor: Actor;
}

export type Handler<State> = (context: RouteContext<State>) => Reply;

interface Route<State> {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler<State>;
  permission: Requirement;
}

export class Router<State> {
  private readonly routes: Route<State>[] = [];

  /** `pattern` like `/repos/:owner/:repo/git/ref/*ref`. */
  on(method: string, pattern: string, handler: Handler<State>): this {
    // Every route declares the permission it needs (permissions.ts); an undeclared one is a bug.
    const permission = ROUTE_PERMISSIONS[`${method} ${pattern}`];
    if (!permission) throw new Error(`Route ${method} ${pattern} has no entry in ROUTE_PERMISSIONS.`);
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler, permission });
    return this;
  }

  /** The handler and params for a request, `undefined` when no route matches (404). */
  match(method: string, pathname: string): { handler: Handler<State>; params: Record<string, string>; pattern: string; permission: Requirement } | undefined {
    const raw = pathname.split('/').filter(Boolean);
    let decoded: string[];
    try {
      decoded = raw.map((segment) => decodeURIComponent(segment));
    } catch {
      return undefined;
    }
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, decoded);
      if (params) return { handler: route.handler, params, pattern: route.pattern, permission: route.permission };
    }
    return undefined;
  }
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part.startsWith('*')) {
      const rest = path.slice(i);
      if (rest.length === 0) return undefined;
      params[part.slice(1)] = rest.join('/');
      return params;
    }
    const segment = path[i];
    if (segment === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return pattern.length === path.length ? params : undefined;
}
