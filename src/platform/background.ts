// Work the server does after it starts answering (seeding the demo, loading its prescribing), with
// progress that the data-sources page shows and, while the first data is loading, a page saying so.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './http/http.types.js';
import type { PageRenderer } from './http/pages.js';

export interface BackgroundTask {
  name: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  /** What is counted: "files", "months". */
  unit: string;
  /** What it is doing now, in words. */
  step: string | null;
  /** Until done, pages other than the data sources say that Flock is still loading. */
  holdsPages: boolean;
  message: string | null;
}

export type BackgroundWork = ReturnType<typeof createBackgroundWork>;

export function createBackgroundWork() {
  const tasks: BackgroundTask[] = [];
  return {
    /** Every task, in the order they were added (a copy). */
    list: (): BackgroundTask[] => tasks.map((t) => ({ ...t })),
    /** The first unfinished task that holds the pages, if any. */
    holding: (): BackgroundTask | undefined =>
      tasks.find((t) => t.holdsPages && t.state !== 'done' && t.state !== 'failed'),
    add(name: string, options: { total: number; unit: string; holdsPages?: boolean }) {
      const task: BackgroundTask = {
        name,
        state: 'waiting',
        done: 0,
        total: options.total,
        unit: options.unit,
        step: null,
        holdsPages: options.holdsPages ?? false,
        message: null,
      };
      tasks.push(task);
      return {
        progress(done: number, step: string | null = task.step) {
          task.state = 'running';
          task.done = done;
          task.step = step;
        },
        finish() {
          task.state = 'done';
          task.done = task.total;
          task.step = null;
        },
        fail(error: Error) {
          task.state = 'failed';
          task.message = error.message;
        },
      };
    },
  };
}

/** Paths that answer while the first data loads: what is loading, and what pages are made of. */
const alwaysOpen = [
  /^\/assets\//,
  /^\/healthz$/,
  /^\/data-sources(\.csv)?$/,
  /^\/api\/v1\/imports$/,
];

/**
 * While a task that holds the pages runs, every other page answers 503 with what is loading and how
 * far it has got, refreshing itself every 5 seconds (no JavaScript needed); the API answers 503
 * `loading` with the same words.
 */
export function holdPagesWhileLoading(
  work: BackgroundWork,
  page: PageRenderer,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const task = work.holding();
    if (!task || alwaysOpen.some((p) => p.test(c.req.path))) return next();
    const message =
      `Flock is still loading. ${task.name}: ${task.done} of ${task.total} ${task.unit}` +
      `${task.step ? ` (now: ${task.step})` : ''}. This takes about half a minute on first start.`;
    c.header('Retry-After', '5');
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'loading', message } }, 503);
    return page(c, 'loading.njk', { title: 'Still loading', message, task }, 503);
  };
}
