// Renders a page with what every page needs: the signed-in user, navigation and CSRF token.
import type { Context } from 'hono';
import { adminScope, homeGroups } from '../auth/principal.js';
import type { Renderer } from '../../web/render.js';
import type { AppEnv } from './http.types.js';

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503;

export interface PageRenderer {
  (c: Context<AppEnv>, template: string, data: Record<string, unknown>, status?: Status): Response;
  /** The page as HTML text (for caching). */
  html(c: Context<AppEnv>, template: string, data: Record<string, unknown>): string;
}

export function navigationFor(c: Context<AppEnv>) {
  const principal = c.get('principal');
  const path = c.req.path;
  const items = [{ text: 'Groups', href: '/', current: path === '/' }];
  for (const g of homeGroups(principal).slice(0, 2)) {
    const href = `/groups/${g.organisationCode}/overview`;
    items.push({
      text: g.organisationName.replace(/^NHS /, '').replace(/ CCG$/, ''),
      href,
      current: path.startsWith(`/groups/${g.organisationCode}`),
    });
  }
  items.push({ text: 'Data sources', href: '/data-sources', current: path === '/data-sources' });
  if (adminScope(principal) !== null)
    items.push({
      text: 'Audit log',
      href: '/admin/audit',
      current: path.startsWith('/admin/audit'),
    });
  return items;
}

export function createPageRenderer(renderer: Renderer, options: { demo: boolean }): PageRenderer {
  const html = (c: Context<AppEnv>, template: string, data: Record<string, unknown>) =>
    renderer.render(template, {
      principal: c.get('principal'),
      csrfToken: c.get('csrfToken'),
      currentPath: c.req.path,
      navigation: navigationFor(c),
      demo: options.demo,
      ...data,
    });
  const page = (
    c: Context<AppEnv>,
    template: string,
    data: Record<string, unknown>,
    status: Status = 200,
  ) => c.html(html(c, template, data), status);
  return Object.assign(page, { html });
}

/** Cache key for a page as this user sees it (their roles shape the navigation). */
export function pageCacheKey(c: Context<AppEnv>): string {
  const principal = c.get('principal');
  const who = principal
    ? `${principal.userId}:${principal.grants.map((g) => `${g.role}@${g.organisationId}`).join(',')}`
    : 'public';
  const url = new URL(c.req.url);
  return `page|${who}|${url.pathname}${url.search}`;
}
