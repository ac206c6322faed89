DROP INDEX "threads_latest_idx";--> statement-breakpoint
DROP INDEX "threads_category_idx";--> statement-breakpoint
DROP INDEX "threads_unanswered_idx";--> statement-breakpoint
CREATE INDEX "threads_latest_idx" ON "threads" USING btree ("last_posted_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "threads"."hidden_at" is null;--> statement-breakpoint
CREATE INDEX "threads_category_idx" ON "threads" USING btree ("category_id",("pinned_at" is not null) desc,"last_posted_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "threads"."hidden_at" is null;--> statement-breakpoint
CREATE INDEX "threads_unanswered_idx" ON "threads" USING btree ("urgent" DESC NULLS FIRST,"created_at","id") WHERE "threads"."first_response_at" is null and "threads"."hidden_at" is null;