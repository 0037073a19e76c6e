/**
 * GitHub's page/per_page pagination with a `Link` header that Octokit's paginate() follows. The cap
 * option models endpoints that stop listing after a fixed number of items (pull request files: 3000)
 * while the resource itself knows the true count.
 */
import type { Reply } from './http';

export interface PageOptions {
  defaultPerPage?: number;
  maxPerPage?: number;
  /** Items beyond this index are never listed, whatever the page. */
  cap?: number;
}

export interface Page {
  page: number;
  perPage: number;
}

export function readPage(query: URLSearchParams, options: PageOptions = {}): Page {
  const maxPerPage = options.maxPerPage ?? 100;
  const perPageRaw = Number.parseInt(query.get('per_page') ?? '', 10);
  const pageRaw = Number.parseInt(query.get('page') ?? '', 10);
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(perPageRaw, maxPerPage) : (options.defaultPerPage ?? 30);
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  return { page, perPage };
}

/** The slice for this page plus the Link header (first/prev/next/last as GitHub writes them). */
export function paginate<T>(url: URL, query: URLSearchParams, items: readonly T[], options: PageOptions = {}): { items: T[]; headers: Record<string, string> } {
  const { page, perPage } = readPage(query, options);
  const visible = options.cap === undefined ? items.length : Math.min(items.length, options.cap);
  const start = (page - 1) * perPage;
  const slice = start >= visible ? [] : items.slice(start, Math.min(start + perPage, visible));
  const lastPage = Math.max(1, Math.ceil(visible / perPage));
  return { items: slice, headers: linkHeader(url, page, perPage, lastPage) };
}

export function pagedReply<T>(url: URL, query: URLSearchParams, items: readonly T[], render: (item: T) => unknown, options: PageOptions = {}): Reply {
  const { items: slice, headers } = paginate(url, query, items, options);
  return { status: 200, body: slice.map(render), headers };
}

export function linkHeader(url: URL, page: number, perPage: number, lastPage: number): Record<string, string> {
  const at = (n: number) => {
    const next = new URL(url.href);
    next.searchParams.set('per_page', String(perPage));
    next.searchParams.set('page', String(n));
    return `<${next.href}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? { link: links.join(', ') } : {};
}
