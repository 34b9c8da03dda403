// A child process that generates synthetic prescribing months with its own in-memory DuckDB, so the
// server's event loop and its fact store are free while the demo's prescribing is prepared.
import { openFactStore } from '../platform/facts/fact-store.js';
import {
  generateForPractices,
  type GeneratedMonth,
  type GeneratedPrescribing,
  type GeneratorInputs,
  type GeneratorPractice,
} from './synthetic-prescribing.js';

export interface GenerateJob {
  practices: GeneratorPractice[];
  inputs: GeneratorInputs;
}

export type GenerateReply =
  { month: GeneratedMonth } | { result: GeneratedPrescribing } | { error: string };

process.once('message', (job: GenerateJob) => {
  const reply = (message: GenerateReply) =>
    new Promise<void>((resolve) => process.send!(message, () => resolve()));
  void (async () => {
    const facts = await openFactStore({ dataDir: 'memory', migrations: [] });
    try {
      const result = await generateForPractices(facts, job.practices, job.inputs, (month) => {
        void reply({ month });
      });
      await reply({ result });
    } catch (error) {
      await reply({ error: (error as Error).message });
    } finally {
      facts.close();
      process.disconnect();
    }
  })();
});
