export const createApp = (_: unknown) => ({ fetch: () => new Response("x") });
