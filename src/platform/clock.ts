// The clock is a parameter so tests can pin time.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Today's date as YYYY-MM-DD (UTC). */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);
