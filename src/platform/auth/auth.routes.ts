// Sign-in and sign-out pages: the form re-shows with an NHS error summary when something is wrong.
import type { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../clock.js';
import type { Db } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/http.types.js';
import type { PageRenderer } from '../http/pages.js';
import { issueCsrfSecret, SESSION_COOKIE } from '../http/security.js';
import { signIn, signOut, type SessionResolver } from './session.service.js';

/** Only same-site paths may be returned to after sign-in (no open redirects). */
export const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : '/';

export function registerAuthRoutes(
  app: Hono<AppEnv>,
  deps: {
    db: Db;
    clock: Clock;
    page: PageRenderer;
    sessions: SessionResolver;
    secureCookies: boolean;
  },
) {
  const { db, clock, page } = deps;

  app.get('/sign-in', (c) =>
    page(c, 'sign-in.njk', {
      title: 'Sign in',
      next: safeNext(c.req.query('next')),
      fieldErrors: {},
      errors: [],
    }),
  );

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(form.next);
    const fieldErrors: Record<string, string> = {};
    if (!email.trim()) fieldErrors.email = 'Enter your email address';
    if (!password) fieldErrors.password = 'Enter your password';
    const reshow = (errors: Record<string, string>, status: 400 | 429) =>
      page(
        c,
        'sign-in.njk',
        {
          title: 'Sign in',
          next,
          email,
          fieldErrors: errors,
          errors: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
        },
        status,
      );
    if (Object.keys(fieldErrors).length) return reshow(fieldErrors, 400);
    try {
      const session = await signIn(
        db,
        { email, password, clientAddress: c.get('clientAddress') },
        clock,
      );
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.secureCookies,
        path: '/',
        // A browser-session cookie: the server decides when the session ends (idle and absolute limits).
      });
      issueCsrfSecret(c, deps.secureCookies);
      return c.redirect(next, 303);
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'invalid_input' || error.code === 'rate_limited')
      ) {
        return reshow({ email: error.message }, error.code === 'rate_limited' ? 429 : 400);
      }
      throw error;
    }
  });

  app.get('/sign-out', (c) => {
    if (!c.get('principal')) return c.redirect('/', 303);
    return page(c, 'sign-out.njk', { title: 'Sign out' });
  });

  app.post('/sign-out', async (c) => {
    const principal = c.get('principal');
    const token = c.get('sessionToken');
    if (principal && token) {
      await signOut(db, token, principal, c.get('clientAddress'), clock);
      deps.sessions.forget(token);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    issueCsrfSecret(c, deps.secureCookies);
    return c.redirect('/', 303);
  });

  app.get('/api/v1/me', (c) => {
    const principal = c.get('principal');
    if (!principal) throw new AppError('unauthenticated', 'Not signed in');
    return c.json({
      email: principal.email,
      displayName: principal.displayName,
      roles: principal.grants,
    });
  });
}
