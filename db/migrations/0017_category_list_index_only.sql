-- A category's list reads a page from its index alone, skipped threads included: the index now
-- holds pinned_at itself beside the expression it is ordered by (see db/schema/threads.ts).
-- As in 0015 and 0016, the new index is built beside the old one, which blocks only writes to
-- threads; dropping the old one, which blocks reads too until the migration commits, comes last.
CREATE INDEX "threads_category_idx_new" ON "threads" USING btree ("category_id",("pinned_at" is not null) desc,"last_posted_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"pinned_at") WHERE "threads"."hidden_at" is null;--> statement-breakpoint
DROP INDEX "threads_category_idx";--> statement-breakpoint
ALTER INDEX "threads_category_idx_new" RENAME TO "threads_category_idx";
