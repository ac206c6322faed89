ALTER TABLE "outbox_events" ADD COLUMN "first_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "after_event_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_after_event_id_outbox_events_id_fk" FOREIGN KEY ("after_event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Revocations queued before this migration wait for their grant's event like new ones do.
UPDATE "outbox_events" SET "after_event_id" = "reward_grants"."event_id"
FROM "reward_revocations" JOIN "reward_grants" ON "reward_grants"."id" = "reward_revocations"."grant_id"
WHERE "outbox_events"."id" = "reward_revocations"."event_id";--> statement-breakpoint
-- Events already tried: their first attempt is unknown, so the window keeps counting from when they were queued, as before.
UPDATE "outbox_events" SET "first_attempt_at" = "created_at" WHERE "attempts" > 0;
