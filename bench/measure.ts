// Shared by the bench scripts: the peak resident memory (VmHWM) of a process, in MB.
import { readFileSync } from 'node:fs';

export function peakRssMb(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
