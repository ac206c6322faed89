-- btree_gin lets a GIN index hold an integer column beside the search document, so that search's
-- "among the newest threads" condition is answered inside the index (see db/schema/threads.ts).
-- It ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "threads_search_idx";--> statement-breakpoint
CREATE INDEX "threads_search_idx" ON "threads" USING gin ("search_document","id");
