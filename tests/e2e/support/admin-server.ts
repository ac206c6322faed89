/**
 * A browser suite whose server starts with an admin account already in its database, made with
 * the real command line (`npm run forum -- create-admin`) before the server opens the database:
 * PGlite is single-process, so the CLI cannot run beside the server.
 */
import { runTsx } from "./run-tsx";
import { useBrowserSuite, type BrowserSuite, type SuiteOptions } from "./suite";

export interface Admin {
  username: string;
  password: string;
}

export interface AdminBrowserSuite extends BrowserSuite {
  /** The admin created on the command line before the server started. */
  readonly admin: Admin;
}

/**
 * Runs `create-admin` against the database in `env` (the server's own settings) and returns the
 * generated password, which the CLI prints once when it has no terminal to ask on.
 */
export async function createAdmin(env: NodeJS.ProcessEnv, username: string): Promise<Admin> {
  const output = await runTsx(env, "app/cli/forum.ts", ["create-admin", "--username", username, "--email", `${username}@example.test`]);
  const password = output.match(/^Password \(shown only now, store it safely\): (\S+)$/m)?.[1];
  if (!password) throw new Error(`create-admin printed no password:\n${output}`);
  return { username, password };
}

/** Like useBrowserSuite (support/suite.ts), with an admin made before the server starts (then `options.beforeStart`, if any). */
export function useBrowserSuiteWithAdmin(chromiumPath: string, options: SuiteOptions = {}): AdminBrowserSuite {
  // Filled in before the server starts (a holder object: the react-hooks lint takes use* for a hook).
  const made: { admin?: Admin } = {};
  const suite = useBrowserSuite(chromiumPath, {
    async beforeStart(env) {
      made.admin = await createAdmin(env, `e2e_admin_${Date.now().toString(36)}`);
      await options.beforeStart?.(env);
    },
  });
  return {
    get server() {
      return suite.server;
    },
    get admin() {
      if (!made.admin) throw new Error("The admin was not created (is this outside a test?)");
      return made.admin;
    },
    openPage: (pageOptions) => suite.openPage(pageOptions),
  };
}
