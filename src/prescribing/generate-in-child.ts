// Runs the synthetic prescribing generator in a child process at a lower priority than the server.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectRoot } from '../app/config.js';
import type { GenerateJob, GenerateReply } from './generate-worker.js';
import type {
  GeneratedMonth,
  GeneratedPrescribing,
  GeneratorInputs,
  GeneratorPractice,
} from './synthetic-prescribing.js';

/** How much nicer than the server the child is (Unix niceness; 19 is the nicest). */
const NICENESS = 10;
/** The child's DuckDB memory: the demo's sample of England needs far less than an import. */
const CHILD_FACTS_MEMORY = '600MB';

/**
 * Generates the months in a child process: the work (about 50 s of DuckDB on the demo's practices)
 * then competes for the processor below the server, which keeps answering pages meanwhile.
 */
export function generateInChildProcess(
  practices: GeneratorPractice[],
  inputs: GeneratorInputs,
  onMonth?: (done: GeneratedMonth) => void,
): Promise<GeneratedPrescribing> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(fileURLToPath(new URL('./generate-worker.ts', import.meta.url)), [], {
    cwd: projectRoot,
    execArgv: ['--import', tsx],
    env: { ...process.env, FLOCK_FACTS_MEMORY: CHILD_FACTS_MEMORY },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    if (child.pid !== undefined) os.setPriority(child.pid, NICENESS);
  } catch {
    // Not allowed here (some containers): it still runs, at the same priority.
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: GenerateReply) => {
      if ('month' in message) onMonth?.(message.month);
      else if ('result' in message) {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(new Error(`generating synthetic prescribing failed: ${message.error}`));
      }
    });
    child.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (!settled)
        reject(
          new Error(
            `generating synthetic prescribing stopped (exit ${code ?? 'none'}${signal ? `, ${signal}` : ''})`,
          ),
        );
      settled = true;
    });
    child.send({ practices, inputs } satisfies GenerateJob);
  });
}
