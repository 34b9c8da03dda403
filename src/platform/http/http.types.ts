// The per-request values every route can read.
import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../auth/principal.js';

export interface AppVariables {
  principal: Principal | undefined;
  sessionToken: string | undefined;
  csrfToken: string;
  clientAddress: string | null;
}

export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: AppVariables;
}
