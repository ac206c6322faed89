-- Counting accepted answers reads only the threads' indexes: each holds the accepted post's id,
-- checked against the small index of hidden posts (countedAccepts in app/models/answers.server.ts).
-- As in 0015, the new indexes are built beside the old ones, which blocks only writes to threads;
-- dropping the old ones, which blocks reads too until the migration commits, comes last.
CREATE INDEX "posts_hidden_idx" ON "posts" USING btree ("id") WHERE "posts"."hidden_at" is not null;--> statement-breakpoint
CREATE INDEX "threads_accepted_idx_new" ON "threads" USING btree ("accepted_at","accepted_author_id","accepted_post_id") WHERE "threads"."accepted_post_id" is not null and not "threads"."accepted_is_self" and "threads"."hidden_at" is null;--> statement-breakpoint
CREATE INDEX "threads_accepted_author_idx_new" ON "threads" USING btree ("accepted_author_id","accepted_at","accepted_post_id") WHERE "threads"."accepted_post_id" is not null and not "threads"."accepted_is_self" and "threads"."hidden_at" is null;--> statement-breakpoint
DROP INDEX "threads_accepted_idx";--> statement-breakpoint
DROP INDEX "threads_accepted_author_idx";--> statement-breakpoint
ALTER INDEX "threads_accepted_idx_new" RENAME TO "threads_accepted_idx";--> statement-breakpoint
ALTER INDEX "threads_accepted_author_idx_new" RENAME TO "threads_accepted_author_idx";
