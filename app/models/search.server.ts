/**
 * Full-text search over threads (title, question and accepted answer) with the `simple`
 * configuration, which splits and lowercases words in any script without language rules:
 * members write in many languages. Solved threads rank first.
 */
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { db } from "~db/client";
import { categories, members, posts, threads } from "~db/schema";
import { THREADS_PER_PAGE } from "./forum-rules";

export const QUERY_MAX = 200;
export type SearchStatus = "solved" | "unanswered";

export interface SearchInput {
  query: string;
  categorySlug?: string;
  status?: SearchStatus;
  page: number;
}

export async function searchThreads({ query, categorySlug, status, page }: SearchInput) {
  const tsquery = sql`websearch_to_tsquery('simple', ${query})`;
  const solved = sql<boolean>`${threads.acceptedPostId} is not null`;
  const rank = sql<number>`ts_rank(${threads.searchDocument}, ${tsquery})`;
  // Ranks narrow rows first and joins the page's few threads afterwards: sorting every match
  // with its question text attached was most of the cost on a big forum.
  const hits = db()
    .select({ id: threads.id, solved: solved.as("solved"), rank: rank.as("rank"), lastPostedAt: threads.lastPostedAt })
    .from(threads)
    .where(
      and(
        sql`${threads.searchDocument} @@ ${tsquery}`,
        isNull(threads.hiddenAt),
        categorySlug ? sql`${threads.categoryId} = (select ${categories.id} from ${categories} where ${categories.slug} = ${categorySlug})` : undefined,
        status === "solved" ? isNotNull(threads.acceptedPostId) : undefined,
        status === "unanswered" ? isNull(threads.firstResponseAt) : undefined,
      ),
    )
    .orderBy(desc(solved), desc(rank), desc(threads.lastPostedAt))
    .limit(THREADS_PER_PAGE + 1)
    .offset((page - 1) * THREADS_PER_PAGE)
    .as("hits");
  const rows = await db()
    .select({
      id: threads.id,
      title: threads.title,
      slug: threads.slug,
      replyCount: threads.replyCount,
      createdAt: threads.createdAt,
      solved: hits.solved,
      categoryName: categories.name,
      categorySlug: categories.slug,
      authorName: members.username,
      question: posts.bodySource,
    })
    .from(hits)
    .innerJoin(threads, eq(threads.id, hits.id))
    .innerJoin(categories, eq(categories.id, threads.categoryId))
    .innerJoin(members, eq(members.id, threads.authorId))
    .innerJoin(posts, and(eq(posts.threadId, threads.id), eq(posts.postNumber, 1)))
    .orderBy(desc(hits.solved), desc(hits.rank), desc(hits.lastPostedAt));
  const terms = queryTerms(query);
  return {
    results: rows.slice(0, THREADS_PER_PAGE).map(({ question, ...row }) => ({ ...row, snippet: snippet(plainText(question), terms) })),
    hasMore: rows.length > THREADS_PER_PAGE,
  };
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Words that say nothing about a hosting problem; left out when looking for similar threads.
const FILLER = new Set("the and for with how can does not why what when where who you your my our are was were have has had this that from into about after before just get got any there their them then than but also its it's don't cannot help please need".split(" "));

export function queryTerms(query: string): Set<string> {
  return new Set((query.match(WORD) ?? []).map(fold));
}

/** Case-folds a word for comparison, so "Łódź" matches "łódź" and "İstanbul" "istanbul". */
function fold(word: string): string {
  return word.normalize("NFKC").toLowerCase().replace(/\u0307/g, "");
}

/** Markdown source as readable text: links, emphasis and code marks dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>#~|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * About 240 characters of the text around the first matching word, as parts to render (matches
 * marked). Parts, not HTML: the page escapes them like any other text.
 */
export function snippet(text: string, terms: Set<string>, length = 240): SnippetPart[] {
  const words = [...text.matchAll(WORD)];
  const first = words.find((w) => terms.has(fold(w[0])));
  let start = first ? Math.max(0, first.index! - 60) : 0;
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  const end = Math.min(text.length, start + length);
  const window = text.slice(start, end);
  const parts: SnippetPart[] = [];
  let cursor = 0;
  for (const w of window.matchAll(WORD)) {
    if (!terms.has(fold(w[0]))) continue;
    if (w.index! > cursor) parts.push({ text: window.slice(cursor, w.index), match: false });
    parts.push({ text: w[0], match: true });
    cursor = w.index! + w[0].length;
  }
  if (cursor < window.length) parts.push({ text: window.slice(cursor), match: false });
  if (start > 0) parts.unshift({ text: "… ", match: false });
  if (end < text.length) parts.push({ text: " …", match: false });
  return parts;
}

/** Solved threads whose words overlap a title being typed: asked already, answered already. */
export async function similarSolvedThreads(title: string, limit = 5) {
  const words = [...new Set((title.match(WORD) ?? []).map(fold))].filter((w) => w.length >= 3 && !FILLER.has(w)).slice(0, 10);
  if (words.length === 0) return [];
  // Each word is letters, marks and digits only, so joining them with | is a safe tsquery.
  const tsquery = sql`to_tsquery('simple', ${words.join(" | ")})`;
  return db()
    .select({ id: threads.id, title: threads.title, slug: threads.slug, replyCount: threads.replyCount })
    .from(threads)
    .where(and(sql`${threads.searchDocument} @@ ${tsquery}`, isNotNull(threads.acceptedPostId), isNull(threads.hiddenAt)))
    .orderBy(desc(sql`ts_rank(${threads.searchDocument}, ${tsquery})`))
    .limit(limit);
}
