// Starts the real parta-server once for the whole run: a fresh data directory, the built app from
// dist/, the dev outbox (so tests can read sign-in codes) and a code limit no test run can reach.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { serverBinary, distDir, serverLogPath } from './support/paths';

const STARTUP_TIMEOUT_MS = 30_000;

export default async function globalSetup(): Promise<void> {
  const bin = serverBinary();
  const dist = distDir();
  if (!fs.existsSync(bin)) {
    throw new Error(
      `parta-server binary not found at ${bin}.\n` +
        `Build it with \`cargo build -p parta-server\` in the repository root, or point PARTA_SERVER_BIN at it.`,
    );
  }
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(
      `The built app was not found: ${path.join(dist, 'index.html')} is missing.\n` +
        `Build it with \`trunk build --release\` in the repository root, or point PARTA_DIST at a dist/ folder.`,
    );
  }

  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'parta-e2e-'));
  const log = fs.createWriteStream(serverLogPath(), { flags: 'w' });
  const server = spawn(
    bin,
    [
      'serve',
      '--addr', '127.0.0.1:0',
      '--data-dir', dataDir,
      '--dist', dist,
      '--dev-outbox',
      '--ip-code-limit', '100000',
      '--ip-sign-in-limit', '100000',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' } },
  );

  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`parta-server did not start: ${why}\nIts output (also in ${serverLogPath()}):\n${seen.slice(-2000)}`));
    };
    const timer = setTimeout(
      () => fail(`no "Parta is running at" line within ${STARTUP_TIMEOUT_MS / 1000} s`),
      STARTUP_TIMEOUT_MS,
    );
    // Everything goes to the log for the whole run (draining the pipes also keeps the server from
    // blocking on a full one); the first lines are watched for the address.
    const watch = (chunk: Buffer) => {
      log.write(chunk);
      if (settled) return;
      seen += chunk.toString();
      const match = /Parta is running at (http:\/\/\S+)/.exec(seen);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on('data', watch);
    server.stderr.on('data', watch);
    server.on('error', (error) => fail(error.message));
    server.on('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
  });

  // Workers are started after this and inherit the environment; the teardown reads it too.
  process.env.PARTA_URL = url;
  process.env.PARTA_DATA_DIR = dataDir;
  process.env.PARTA_SERVER_PID = String(server.pid);
  process.env.PARTA_SERVER_BIN = bin;
  console.log(`parta-server ${url} (data ${dataDir}, log ${serverLogPath()})`);
}
