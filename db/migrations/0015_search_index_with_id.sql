-- btree_gin lets a GIN index hold an integer column beside the search document, so that search's
-- "among the newest threads" condition is answered inside the index (see db/schema/threads.ts).
-- It ships with PostgreSQL (contrib) and is a trusted extension from PostgreSQL 13: a database
-- owner may create it; otherwise a superuser creates it once beforehand.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
-- The new index is built beside the old one, which blocks only writes to threads; dropping the
-- old one, which blocks reads too until the migration commits, comes after it.
CREATE INDEX "threads_search_with_id_idx" ON "threads" USING gin ("search_document","id");--> statement-breakpoint
DROP INDEX "threads_search_idx";--> statement-breakpoint
ALTER INDEX "threads_search_with_id_idx" RENAME TO "threads_search_idx";
