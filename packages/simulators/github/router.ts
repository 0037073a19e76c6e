/**
 * Method + path pattern -> handler. Octokit percent-encodes path parameters (a ref such as
 * `tags/v1.0.0` arrives as `tags%2Fv1.0.0`) while curl users send raw slashes, so matching works on
 * decoded segments, and a trailing `*name` parameter swallows the rest of the path in either form.
 */
import type { Reply } from './http';

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
}

export type Handler<State> = (context: RouteContext<State>) => Reply;

interface Route<State> {
  method: string;
  segments: string[];
  handler: Handler<State>;
}

export class Router<State> {
  private readonly routes: Route<State>[] = [];

  /** `pattern` like `/repos/:owner/:repo/git/ref/*ref`. */
  on(method: string, pattern: string, handler: Handler<State>): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** The handler and params for a request, `undefined` when no route matches (404). */
  match(method: string, pathname: string): { handler: Handler<State>; params: Record<string, string> } | undefined {
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
      if (params) return { handler: route.handler, params };
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
