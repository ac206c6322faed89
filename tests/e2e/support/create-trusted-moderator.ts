/**
 * Fixture script, run before the e2e server starts (see `createTrustedModerator` in
 * support/rewards.ts), never imported by a test: makes a moderator and established members, each
 * of whom asks one question (members may post only every few seconds) that the moderator answers
 * and the asker accepts, with the app's own models, so that the moderator qualifies for the
 * reward program (DESIGN.md: 10 accepted answers by others in the last 90 days). Doing this in
 * the browser would take a minute.
 *
 *   node --import tsx tests/e2e/support/create-trusted-moderator.ts '<JSON TrustedModeratorSpec>'
 *
 * Prints one line `trusted <JSON { moderator, accepted }>`, ends the markdown thread and closes
 * the database, which must happen before the server opens it (PGlite is single-process).
 */
import { closeDatabase } from "~db/client";
import { runMigrations } from "~db/migrator";
import { acceptAnswer } from "~/models/answers.server";
import { stopMarkdownWorker } from "~/models/markdown/cook.server";
import { makeMember, makeReply, makeThread } from "../../support/factories";
import type { TrustedModeratorSpec } from "./rewards";

async function main({ moderator, askers }: TrustedModeratorSpec): Promise<void> {
  await runMigrations();
  const mod = await makeMember({ username: moderator.username, password: moderator.password, role: "moderator" });
  for (const [i, asker] of askers.entries()) {
    const member = await makeMember({ username: asker.username, password: asker.password, established: true });
    const thread = await makeThread(member, { title: `Mail bounces after moving the domain, case ${i + 1}` });
    const reply = await makeReply(mod, thread.id, `Case ${i + 1}: the MX record still points at the old host; change it in the DNS zone editor.`);
    const outcome = await acceptAnswer(member, thread.id, reply.id);
    if (!outcome.ok) throw new Error(`${asker.username} could not accept the answer: ${outcome.message}`);
  }
  console.log(`trusted ${JSON.stringify({ moderator: mod.username, accepted: askers.length })}`);
}

try {
  const spec = JSON.parse(process.argv[2] ?? "null") as TrustedModeratorSpec | null;
  if (!spec?.moderator || !Array.isArray(spec.askers)) throw new Error("Pass the moderator and the askers as JSON.");
  await main(spec);
  await stopMarkdownWorker();
  await closeDatabase();
} catch (error) {
  await stopMarkdownWorker().catch(() => {});
  await closeDatabase().catch(() => {});
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}
