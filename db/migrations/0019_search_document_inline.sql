-- A thread's search document is kept in its row, compressed when the row would be large, rather
-- than in the table's TOAST storage. Search ranks every match it reads, and fetching a document
-- from TOAST costs a look-up in the TOAST table's index and more pages read: 13% of PostgreSQL's
-- time under search load on the bench's forum, where half the documents were stored out of line.
-- Searching the bench's 35 queries one after another took 10% less time with the documents in
-- their rows. The rows of threads grow (the bench's table from 104 MB to 296 MB), but each page
-- reads a thread's row as one page either way, and every reply rewrites its thread's document.
ALTER TABLE "threads" ALTER COLUMN "search_document" SET STORAGE MAIN;--> statement-breakpoint
-- Moves the documents stored before into their rows. A value left as it was keeps its place, so
-- each is rebuilt (adding an empty document changes nothing else). About 20 s for 100,000 threads.
UPDATE "threads" SET "search_document" = "search_document" || ''::tsvector WHERE "search_document" IS NOT NULL;
