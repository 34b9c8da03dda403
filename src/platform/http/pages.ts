// Renders a page with what every page needs: the signed-in user, navigation, CSRF token and CSP nonce.
import type { Context } from 'hono';
import { adminScope, homeGroups } from '../auth/principal.js';
import type { Renderer } from '../../web/render.js';
import type { AppEnv } from './http.types.js';

export type PageRenderer = (
  c: Context<AppEnv>,
  template: string,
  data: Record<string, unknown>,
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 429 | 500,
) => Response;

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
  return (c, template, data, status = 200) =>
    c.html(
      renderer.render(template, {
        principal: c.get('principal'),
        csrfToken: c.get('csrfToken'),
        cspNonce: c.get('cspNonce'),
        currentPath: c.req.path,
        navigation: navigationFor(c),
        demo: options.demo,
        ...data,
      }),
      status,
    );
}
