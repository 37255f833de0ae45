// Stops the server started by global-setup.ts (SIGTERM: it closes its WebSockets and database
// cleanly) and removes its data directory.
import fs from 'node:fs';

const EXIT_TIMEOUT_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.PARTA_SERVER_PID);
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + EXIT_TIMEOUT_MS;
    while (alive(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (alive(pid)) {
      console.warn(`parta-server (pid ${pid}) ignored SIGTERM for ${EXIT_TIMEOUT_MS / 1000} s; killing it`);
      process.kill(pid, 'SIGKILL');
    }
  }
  const dataDir = process.env.PARTA_DATA_DIR;
  if (dataDir) {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
