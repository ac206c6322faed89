-- How common each word is among the newest threads, for search to choose where to start (see
-- db/schema/search.ts). It starts empty: search then climbs the windows as before, until the
-- worker's first housekeeping pass fills it.
CREATE TABLE "search_word_shares" (
	"word" text PRIMARY KEY NOT NULL,
	"share" real NOT NULL
);
