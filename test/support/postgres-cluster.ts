// Starts a throwaway PostgreSQL cluster in a temp folder with initdb/pg_ctl (as the postgres user when run as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

function findBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions)
    if (existsSync(path.join(root, v, 'bin/pg_ctl'))) return path.join(root, v, 'bin');
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Cluster {
  url: string;
  stop(): void;
}

/** Starts a cluster, or returns undefined (with the reason) when the server binaries are not installed. */
export async function startCluster(): Promise<Cluster | { unavailable: string }> {
  const bin = findBinDir();
  if (!bin) return { unavailable: 'PostgreSQL server binaries (initdb, pg_ctl) not found' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flock-pg-'));
  const data = path.join(dir, 'data');
  const isRoot = process.getuid?.() === 0;
  let runAs: string[] = [];
  if (isRoot) {
    // PostgreSQL refuses to run as root; hand the folder to the postgres user the Debian package creates.
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0)
      return { unavailable: 'running as root and there is no postgres user to run the server as' };
    const uid = Number(id.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
    runAs = ['runuser', '-u', 'postgres', '--'];
  }
  const run = (args: string[]) => {
    const [command, ...rest] = [...runAs, ...args];
    execFileSync(command!, rest, { stdio: 'pipe', cwd: dir });
  };
  const port = await freePort();
  run([
    path.join(bin, 'initdb'),
    '-D',
    data,
    '-U',
    'flock',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  run([
    path.join(bin, 'pg_ctl'),
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  return {
    url: `postgres://flock@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
