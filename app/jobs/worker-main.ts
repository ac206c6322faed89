/** `npm run worker`: the outbox worker on its own, for deployments that scale it apart from the web. */
import { closeDatabase, database } from "~db/client";
import { provisioningSetupFromEnv } from "./provisioning/adapter.server";
import { createWorker, workerOptionsFromEnv } from "./worker.server";

if (database().driver === "pglite") {
  console.error("The worker needs DATABASE_URL: the embedded database can only be opened by one process, and the web server already runs a worker for it.");
  process.exit(1);
}

const worker = createWorker(workerOptionsFromEnv());
worker.start();
console.log(`HostHelp worker started. ${provisioningSetupFromEnv().summary}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void worker.stop().then(closeDatabase).then(() => process.exit(0));
  });
}
