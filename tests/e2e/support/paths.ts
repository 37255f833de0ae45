import path from 'node:path';

/** The e2e folder, whatever the current directory. */
const here = path.resolve(__dirname, '..');

/** The server binary: `PARTA_SERVER_BIN`, or the debug build of the workspace. */
export function serverBinary(): string {
  return path.resolve(here, process.env.PARTA_SERVER_BIN ?? '../../target/debug/parta-server');
}

/** The built app: `PARTA_DIST`, or the repository's `dist/`. */
export function distDir(): string {
  return path.resolve(here, process.env.PARTA_DIST ?? '../../dist');
}

/** Everything the server printed during the run, for when a test fails for a reason only it knows. */
export function serverLogPath(): string {
  return path.resolve(here, process.env.PARTA_SERVER_LOG ?? 'server.log');
}
