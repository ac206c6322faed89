import { pgTable, real, text } from "drizzle-orm/pg-core";

/**
 * How common each word is among the newest threads: the share of them whose search document
 * holds it. Search reads it to start at the window of newest threads expected to hold enough of
 * a query's matches (see SEARCH_WINDOW in app/models/search.server.ts); refreshSearchWordShares
 * rebuilds it. Words rarer than SHARE_FLOOR are left out: a missing word is a rare one.
 */
export const searchWordShares = pgTable("search_word_shares", {
  word: text("word").primaryKey(),
  share: real("share").notNull(),
});
