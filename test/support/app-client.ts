// Drives the app in-process through app.request() with a cookie jar, like a browser without JavaScript.
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/platform/http/http.types.js';

export class AppClient {
  private cookies = new Map<string, string>();
  constructor(private readonly app: Hono<AppEnv>) {}

  private remember(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(header) || value === '')
        this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  get(path: string) {
    return this.request(path);
  }

  /** This session's CSRF form token, read from a form every visitor can load (sign-out, else sign-in). */
  async csrfToken(): Promise<string> {
    let page = await this.get('/sign-out');
    if (page.status !== 200) page = await this.get('/sign-in');
    return /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  }

  /** Posts a form the way a browser would, with the CSRF token from a GET of `formPage`. */
  async submit(
    formPage: string,
    action: string,
    fields: Record<string, string>,
    options: { csrf?: string | null } = {},
  ) {
    const page = await this.get(formPage);
    const html = await page.text();
    const token =
      options.csrf === undefined
        ? (/name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '')
        : options.csrf;
    const body = new URLSearchParams({ ...(token === null ? {} : { _csrf: token }), ...fields });
    return this.request(action, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Uploads a file through a multipart form, with the CSRF token from a GET of `formPage`. */
  async upload(
    formPage: string,
    action: string,
    fields: Record<string, string>,
    file: { field: string; name: string; content: string },
  ) {
    const html = await (await this.get(formPage)).text();
    const body = new FormData();
    body.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '');
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    body.set(file.field, new File([file.content], file.name, { type: 'text/csv' }));
    return this.request(action, { method: 'POST', body });
  }

  async signIn(email: string, password: string) {
    const response = await this.submit('/sign-in', '/sign-in', { email, password, next: '/' });
    if (response.status !== 303)
      throw new Error(
        `sign-in failed with ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    return response;
  }
}

/** A form's fields with some left out, as a request cut short or made by hand would send them. */
export const withoutFields = (fields: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(fields).filter(([name]) => !names.includes(name)));
