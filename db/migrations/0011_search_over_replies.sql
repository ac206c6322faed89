-- Search reads a thread's replies too (SEARCHED_REPLIES in app/models/forum-rules.ts: the first
-- 100 visible replies other than the accepted answer, up to 100,000 characters). Rebuilds every
-- thread's document as refreshSearchDocument (app/models/threads.server.ts) does for one.
UPDATE "threads" SET "search_document" =
  setweight(to_tsvector('simple', "title"), 'A') ||
  setweight(to_tsvector('simple', coalesce((SELECT "body_source" FROM "posts" WHERE "thread_id" = "threads"."id" AND "post_number" = 1 AND "hidden_at" IS NULL), '')), 'B') ||
  setweight(to_tsvector('simple', coalesce((SELECT "body_source" FROM "posts" WHERE "id" = "threads"."accepted_post_id" AND "hidden_at" IS NULL), '')), 'C') ||
  setweight(to_tsvector('simple', coalesce((
    SELECT left(string_agg("body_source", ' ' ORDER BY "post_number"), 100000)
    FROM (
      SELECT "body_source", "post_number" FROM "posts"
      WHERE "thread_id" = "threads"."id" AND "post_number" > 1 AND "hidden_at" IS NULL AND "id" IS DISTINCT FROM "threads"."accepted_post_id"
      ORDER BY "post_number" LIMIT 100
    ) "replies"), '')), 'D');
