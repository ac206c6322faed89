/** Runs a TypeScript entry point of the project (a CLI or a fixture script) as its own process. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * `node --import tsx <file> <args>` from the project's root (so the ~/ and ~db/ aliases of
 * tsconfig.json resolve) with `env`, usually the server's own settings handed to a `beforeStart`.
 * No terminal and an empty stdin; resolves with stdout, rejects with both outputs on failure.
 */
export function runTsx(env: NodeJS.ProcessEnv, file: string, args: string[] = []): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ["--import", "tsx", file, ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args[0] ?? ""} failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end();
  });
}
