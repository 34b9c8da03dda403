// Security middleware: response headers (CSP by script hash), the session, and CSRF checks on forms.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../app/config.js';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { SessionResolver } from '../auth/session.service.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './http.types.js';

export const SESSION_COOKIE = 'flock_session';
export const CSRF_COOKIE = 'flock_csrf';

/**
 * CSP hashes of the inline scripts in the NHS.UK page template (it adds one line that marks the page
 * as having JavaScript). Hashes rather than a per-request nonce keep pages identical, so they can be cached.
 */
export function templateScriptHashes(): string[] {
  const template = readFileSync(
    path.join(projectRoot, 'node_modules/nhsuk-frontend/dist/nhsuk/template.njk'),
    'utf8',
  );
  return [...template.matchAll(/<script[^>]*>([^<]+)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
}

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const scriptSources = templateScriptHashes().join(' ');
  return async (c, next) => {
    await next();
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' ${scriptSources}; style-src 'self'; img-src 'self' data:; ` +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
  };
}

/** Reads the session cookie and sets `principal` (undefined when signed out). */
export function sessionMiddleware(
  sessions: SessionResolver,
  { trustProxy = false }: { trustProxy?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Behind a trusted proxy the socket is the proxy's; the client is the last address it forwarded for.
    const forwarded = trustProxy
      ? c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
      : undefined;
    const address = forwarded || (c.env?.incoming?.socket?.remoteAddress ?? null);
    c.set('clientAddress', address);
    const token = getCookie(c, SESSION_COOKIE);
    const principal = token ? await sessions.resolve(token) : undefined;
    c.set('principal', principal);
    c.set('sessionToken', principal ? token : undefined);
    await next();
  };
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Double-submit CSRF protection: every visitor gets a random token in an HttpOnly, SameSite=Strict
 * cookie; every form carries it in a hidden field; a form post without a matching field is refused.
 */
export function csrfProtection(secureCookies: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      setCookie(c, CSRF_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secureCookies,
        path: '/',
      });
    }
    c.set('csrfToken', token);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const contentType = c.req.header('content-type') ?? '';
      let form: Record<string, unknown> = {};
      if (/application\/x-www-form-urlencoded|multipart\/form-data/.test(contentType)) {
        try {
          form = await c.req.parseBody();
        } catch {
          throw new AppError(
            'invalid_input',
            'The form could not be read. Go back, reload the page and try again.',
          );
        }
      }
      const submitted =
        typeof form._csrf === 'string' ? form._csrf : (c.req.header('x-csrf-token') ?? '');
      if (!submitted || !sameToken(submitted, token)) {
        throw new AppError(
          'csrf_failed',
          'This form has expired or did not come from Flock. Go back, reload the page and try again.',
        );
      }
    }
    await next();
  };
}
