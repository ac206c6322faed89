/**
 * Full-text search over threads (title, question, accepted answer and replies) with the `simple`
 * configuration, which splits and lowercases words in any script without language rules:
 * members write in many languages. Solved threads rank first.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Database, db, preparedStatement } from "~db/client";
import { categories, searchWordShares } from "~db/schema";
import { SEARCH_RESULTS_PER_PAGE, SEARCHED_REPLIES } from "./forum-rules";

export const QUERY_MAX = 200;
export type SearchStatus = "solved" | "unanswered";

export interface SearchInput {
  query: string;
  categorySlug?: string;
  status?: SearchStatus;
  page: number;
}

/**
 * How search ranks a word that many threads contain. Ranking a match walks its whole search
 * document, several microseconds each, so ranking every match of a common word (tens of
 * thousands of threads on a big forum) costs tens of milliseconds a search. Instead, the matches
 * in the smallest window of newest threads (the `newestThreads` highest ids) that holds at least
 * `enoughMatches` of them come first, ranked. Older matches follow on later pages a band at a
 * time, each read and ranked only when a page reaches it: the threads each wider window adds,
 * then the rest of the forum. A deep page thus ranks the matches of the bands it reaches rather
 * than every match of a common word: page 100 of "dns" ranked all 40,000 of its matches on the
 * bench's forum. A word too rare to fill even the widest window is ranked over the whole forum at
 * once. Nothing that matches is out of reach; a common word's old answers are further down.
 *
 * Enough is three pages of results: few readers go further, and in hosting a recent answer is
 * more often still right (software versions, panels and limits change). "dns" fills the newest
 * hundred threads with dozens of matches, while a rarer word gets its matches among the newest
 * thousand or ten thousand ranked together.
 *
 * Reading a window's band costs a fraction of a millisecond even when it holds nothing, so search
 * does not try each window in turn: it starts at the smallest one expected to hold enough, from
 * how common the query's words are among the newest threads (search_word_shares, which the
 * worker refreshes hourly with refreshSearchWordShares), and goes straight to the whole forum
 * when not even the widest is. The windows below the one it starts at are then expected to hold
 * too few, and would have been ranked together with it anyway: the estimate changes what a
 * search costs, not what it finds, unless it is wrong.
 */
export const SEARCH_WINDOW: Required<SearchWindow> = { newestThreads: [100, 300, 1_000, 3_000, 10_000], enoughMatches: 3 * SEARCH_RESULTS_PER_PAGE, matchCost: 4 };
/**
 * Words in fewer than this share of the newest threads are left out of search_word_shares: most
 * of a forum's words are rare ones, and search takes a word it does not find there to be rare.
 */
export const SHARE_FLOOR = 0.001;

/**
 * Rebuilds search_word_shares from the newest threads, as many as the widest window holds: each
 * word's share of the window's ids whose threads hold it, so that a window of n ids is expected
 * to hold n times as many matches. Searches see the old shares or the new, never none. Takes
 * about 0.3 s on the bench's forum; the worker runs it hourly (see app/jobs/worker.server.ts).
 */
export async function refreshSearchWordShares(database: Database = db()): Promise<void> {
  const sample = sql.raw(String(Math.max(...SEARCH_WINDOW.newestThreads)));
  await database.transaction(async (tx) => {
    await tx.delete(searchWordShares);
    await tx.execute(sql`insert into ${searchWordShares} (word, share)
      select stat.word, stat.ndoc::real / sampled.ids
      from (select greatest(max(id) - ${sample}, 0) as after, least(max(id), ${sample}) as ids from threads having count(*) > 0) sampled
      cross join lateral ts_stat(format('select search_document from threads where hidden_at is null and search_document is not null and id > %s', sampled.after)) stat
      where stat.ndoc >= ${sql.raw(String(SHARE_FLOOR))} * sampled.ids`);
  });
}

export interface SearchWindow {
  /** Window sizes, in any order. */
  newestThreads: readonly [number, ...number[]];
  enoughMatches: number;
  /**
   * What reading the row of one match costs, in the ids that the search index collects in the
   * same time; SEARCH_WINDOW's when left out. The index finds a window's matches by collecting
   * every id in the window, a cost that grows with the window whatever the words; without the
   * window, it finds the words' matches in the whole forum, whose rows then tell which are in
   * the window. A window is thus left to the rows when the words are expected to match fewer
   * threads in the whole forum than the window holds ids, divided by this cost: a rare word's
   * widest window. On the bench's forum, collecting the newest 10,000 ids took 3.6 ms, while
   * reading the rows of 1,236 matches of "posta" in the whole forum took 1.4 ms (1.1 µs each, 1.9
   * for two words): 0.4 µs an id, so about four ids a match.
   */
  matchCost?: number;
}

interface SearchRow {
  id: number;
  title: string;
  slug: string;
  replyCount: number;
  solved: boolean;
  categoryName: string;
  categorySlug: string;
  authorName: string;
  question: string;
  /** The reply that matched, when the title and question do not. */
  reply: string | null;
  replyAccepted: boolean | null;
}

export async function searchThreads(input: SearchInput, window: SearchWindow = SEARCH_WINDOW) {
  return (await searchPage(input, window)).found;
}

/**
 * What a search returns of each thread found: the search page's results, with the question and
 * the matching reply for snippets; or only the titles, for suggestions.
 */
type SearchShape = "results" | "titles";
type SearchVariant = `${boolean}:${SearchStatus | ""}:${SearchShape}`;
const searchStatements = new Map<SearchVariant, () => ReturnType<typeof searchPageQuery>>();

/**
 * The search page's data in one round trip: the categories for its filter and the results. Each
 * statement costs a socket write and read on top of its work, as much as a small query itself.
 */
export async function searchPage(input: SearchInput, window: SearchWindow = SEARCH_WINDOW): Promise<{
  categories: { slug: string; name: string }[];
  found: { results: ReturnType<typeof searchResults>["results"]; hasMore: boolean };
}> {
  const row = await runSearch(input, window, "results");
  const { found, more } = parseJson<{ found: SearchRow[]; more: boolean }>(row.results);
  return { categories: parseJson(row.categories), found: searchResults(input.query, found, more) };
}

/**
 * Runs the search statement. It is prepared (one per combination of filters and shape), so
 * PostgreSQL plans it once per connection rather than on every search.
 */
async function runSearch({ query, categorySlug, status, page }: SearchInput, window: SearchWindow, shape: SearchShape) {
  const variant: SearchVariant = `${Boolean(categorySlug)}:${status ?? ""}:${shape}`;
  let statement = searchStatements.get(variant);
  if (!statement) searchStatements.set(variant, (statement = preparedStatement((database) => searchPageQuery(database, Boolean(categorySlug), status, shape))));
  const offset = (page - 1) * SEARCH_RESULTS_PER_PAGE;
  const [row] = await statement().execute({
    query,
    categorySlug: categorySlug ?? "",
    offset,
    // One more than a page, to tell whether another page follows.
    pageEnd: offset + SEARCH_RESULTS_PER_PAGE + 1,
    // A Postgres array literal, smallest window first: both drivers pass it as text, to be cast.
    windows: `{${[...window.newestThreads].sort((a, b) => a - b).join(",")}}`,
    enoughMatches: window.enoughMatches,
    matchCost: window.matchCost ?? SEARCH_WINDOW.matchCost,
  });
  return row!;
}

/** postgres.js parses json; PGlite may hand it back as text. */
function parseJson<T>(value: unknown): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : (value as T);
}

function searchPageQuery(database: Database, byCategory: boolean, status: SearchStatus | undefined, shape: SearchShape) {
  const filters = sql.join(
    [
      sql`hidden_at is null`,
      byCategory ? sql`category_id = (select ${categories.id} from ${categories} where ${categories.slug} = ${sql.placeholder("categorySlug")})` : undefined,
      status === "solved" ? sql`accepted_post_id is not null` : undefined,
      status === "unanswered" ? sql`first_response_at is null` : undefined,
    ].filter((filter) => filter !== undefined),
    sql` and `,
  );
  // The query comes from a subselect so that the planner estimates its matches without looking
  // at its words: its estimates for phrases ("err_too_many_redirects") are far too low, and it
  // would then visit every match instead of only the newest threads'.
  const rank = sql`ts_rank(search_document, (select q from q))`;
  const ranked = sql`id, accepted_post_id is not null as solved, ${rank} as rank, last_posted_at`;
  const matches = sql`search_document @@ (select q from q) and ${filters}`;
  const ladder = sql`${sql.placeholder("windows")}::int[]`;
  // The windows this search reads, from the smallest expected to hold enough matches (see the estimate).
  const windows = sql`(select sizes from windows)`;
  const enough = sql`${sql.placeholder("enoughMatches")}::int`;
  const pageEnd = sql`${sql.placeholder("pageEnd")}::int`;
  // Whether a window of this size has its lower bound checked by the search index, or on the rows
  // of every match in the forum (see SearchWindow.matchCost). Without an estimate, the index.
  const boundInIndex = (size: SQL) =>
    sql`coalesce((select share from estimate) * (select id from newest) * ${sql.placeholder("matchCost")}::real >= ${size}, true)`;
  // A window's band of threads, from its lower bound up to the `upper` one: how many match, and
  // the matches as ranked (as arrays, a column each). Of the two ways to find them, the one that
  // boundInIndex does not rule out is all that runs.
  const band = (size: SQL, upper?: SQL) => {
    const lower = sql`(select id from newest) - ${size}`;
    // The upper bound on the rows ("id + 0"): given to the index as well, it would make it
    // collect every id below the bound, most of the forum.
    const belowUpper = upper ? sql` and id + 0 <= ${upper}` : sql``;
    const columns = sql`id, accepted_post_id, search_document, last_posted_at`;
    return sql`select count(*)::int as matches, array_agg(id) as ids, array_agg(accepted_post_id is not null) as solveds,
    array_agg(${rank}) as ranks, array_agg(last_posted_at) as lasts
    from (
      select ${columns} from threads where ${matches} and ${boundInIndex(size)} and id > ${lower}${belowUpper}
      union all
      select ${columns} from threads where ${matches} and not ${boundInIndex(size)} and id + 0 > ${lower}${belowUpper}
    ) band_threads`;
  };
  // Whether a reply has the words, for its snippet. Parsing a reply costs ten times as much as
  // looking for the query's words in it, and a thread found by its replies often has the words
  // spread over several, none with them all: so a reply is parsed only when it holds every word.
  // That holds for a query of words and phrases; with "or" or "-word" in it, every reply is parsed.
  // It relies on lower() lowercasing as the parser does, a character at a time: true of the libc
  // collations PostgreSQL and PGlite use by default; with an ICU collation, a reply with a word
  // whose case ICU maps differently (a Turkish İ) shows the question as its snippet instead.
  // LIKE's escape character is written chr(92), a backslash, so that no string literal holds one.
  // A word's first 20 characters stand for it: LIKE looks for a pattern from every character of a
  // reply, comparing up to the pattern's length, and a query's word can be 200 characters long.
  const wordPatterns = sql`case when q::text ~ '[|!]' then null else array(
    select '%' || replace(replace(replace(left(word, 20), chr(92), chr(92) || chr(92)), '%', chr(92) || '%'), '_', chr(92) || '_') || '%'
    from unnest(lexemes) word
  ) end`;
  // Each thread found, with what its shape needs (see SearchShape).
  const found =
    shape === "titles"
      ? sql`select t.id, t.title, t.slug, t.reply_count as "replyCount", shown.tier, shown.solved, shown.rank, shown.last_posted_at
          from shown inner join threads t on t.id = shown.id`
      : foundForResults();
  const order = sql`tier, solved desc, rank desc, last_posted_at desc, id desc`;
  const results = sql`(
    with q as (select q, lexemes, ${wordPatterns} as patterns from (
      select websearch_to_tsquery('simple', ${sql.placeholder("query")}) as q, tsvector_to_array(to_tsvector('simple', ${sql.placeholder("query")})) as lexemes
    ) query),
    newest as (select coalesce(max(id), 0) as id from threads),
    -- At most what share of the newest threads match (see SEARCH_WINDOW): the share of the rarest
    -- word when a match needs every word, the words' shares added up when "or" or "-word" lets
    -- one go without another. A word missing from the shares is rarer than SHARE_FLOOR. Filters
    -- are left out: with one, the windows are climbed as far as they must be. Null before the
    -- shares are first gathered.
    estimate as (
      select case when not exists (select from ${searchWordShares}) then null
        when (select q::text ~ '[|!]' from q) then sum(share) else min(share) end as share
      from unnest((select lexemes from q)) as word (lexeme)
      cross join lateral (select coalesce((select share from ${searchWordShares} where word = lexeme), ${sql.raw(String(SHARE_FLOOR / 2))}) as share) word_share
    ),
    -- The windows from the smallest expected to hold enough matches; none when not even the
    -- widest is: every match then ranks together, at once. Without an estimate, every window.
    windows as (
      select case when share is null then ${ladder} else array(select size from unnest(${ladder}) size where size * share >= ${enough} order by size) end as sizes
      from estimate
    ),
    -- The windows' matches, smallest window first, until one holds enough (see SEARCH_WINDOW).
    -- Each step reads only the band of threads its window adds to the one before, and ranks its
    -- matches as it reads them: the search index finds them, and their rows are read anyway to
    -- check them, so ranking there spares looking each one up again. The index holds the ids
    -- too, so a common word stops at the smallest window and its other matches are never read.
    attempts as (
      with recursive attempt(step, total, ids, solveds, ranks, lasts) as (
        select 1, band.* from (${band(sql`(${windows})[1]`)}) band
        union all
        select step + 1, total + band.matches, band.ids, band.solveds, band.ranks, band.lasts
        from attempt cross join lateral (
          ${band(sql`(${windows})[step + 1]`, sql`(select id from newest) - (${windows})[step]`)}
        ) band
        -- Past the leading window, a deeper page reads the next bands until they fill it.
        where (total < ${enough} or total < ${pageEnd}) and step < cardinality(${windows})
      )
      select * from attempt
    ),
    -- The first window with enough matches, which come first; none: every match ranks together.
    leader as (select min(step) as step from attempts where total >= ${enough}),
    reached as (select step, total from attempts order by step desc limit 1),
    -- With no windows to read, the rest is the whole forum.
    cutoff as (select coalesce((select id from newest) - (${windows})[(select step from reached)], (select id from newest)) as id),
    -- The order of the bands: the leading window's, then each later band on its own, then the rest.
    recent as (
      select match.*, case when (select step from leader) is null then 0 else greatest(step, (select step from leader)) end as tier
      from attempts cross join lateral unnest(ids, solveds, ranks, lasts) as match (id, solved, rank, last_posted_at)
    ),
    -- "id + 0": the matches from the search index, then their ids compared, rather than every
    -- older thread's id (most of the forum) collected from the index to intersect with them.
    -- Read only when no window holds enough, or when the page reaches past every band.
    older as (
      select ${ranked}, case when (select step from leader) is null then 0 else cardinality(${windows}) + 1 end as tier
      from threads where ${matches} and id + 0 <= (select id from cutoff)
        and ((select step from leader) is null or (select total from reached) < ${pageEnd})
    ),
    -- The page's threads and one more, which only tells whether another page follows.
    hits as (
      select * from recent
      union all
      select * from older
      order by ${order}
      limit ${sql.raw(String(SEARCH_RESULTS_PER_PAGE + 1))} offset ${sql.placeholder("offset")}
    ),
    shown as (select * from hits order by ${order} limit ${sql.raw(String(SEARCH_RESULTS_PER_PAGE))}),
    found as (${found})
    select json_build_object('found', coalesce(json_agg(found order by ${order}), '[]'), 'more', (select count(*) from hits) > ${sql.raw(String(SEARCH_RESULTS_PER_PAGE))})
    from found)`;
  return database
    .select({
      categories: sql<unknown>`(select coalesce(json_agg(json_build_object('slug', slug, 'name', name) order by position, name), '[]') from ${categories})`,
      results: sql<unknown>`${results}`,
    })
    .from(sql`(values (1)) as one (x)`)
    .prepare(`search_${shape}_${byCategory ? "category" : "all"}_${status ?? "any"}`);
}

/** Each thread found as the search page shows it, with the question and the reply for its snippet. */
function foundForResults() {
  // The query with each word limited to the parts of a thread of the given weights (see
  // refreshSearchDocument): "'spf' & 'record'" becomes "'spf':AB & 'record':AB". A document
  // matches it as the same document cut down to those parts (ts_filter) would match the query,
  // "-word" and phrases included, without a copy of each document found. Worked out only when
  // something is found. A word is quoted, with any quote in it doubled, so the pattern takes each
  // whole; chr(92) || '1' is the replacement's "\1", written so that no string literal holds a
  // backslash (see wordPatterns in searchPageQuery).
  const inParts = (weights: "AB" | "C" | "D") =>
    sql`regexp_replace(q::text, '(''(?:[^'']|'''')*'')', chr(92) || ${sql.raw(`'1:${weights}'`)}, 'g')::tsquery`;
  // See wordPatterns in searchPageQuery.
  const replyMatches = sql`case when (select patterns from q) is null or lower(r.body_source) like all ((select patterns from q)::text[])
    then to_tsvector('simple', r.body_source) @@ (select q from q) else false end`;
  return sql`
      with parts as (select ${inParts("AB")} as heading, ${inParts("C")} as accepted, ${inParts("D")} as replies from q)
      select t.id, t.title, t.slug, t.reply_count as "replyCount", shown.solved, c.name as "categoryName", c.slug as "categorySlug",
        m.username as "authorName", question.text as question,
        reply.body_source as reply, reply.id = t.accepted_post_id as "replyAccepted",
        shown.tier, shown.rank, shown.last_posted_at
      from shown
      inner join threads t on t.id = shown.id
      inner join categories c on c.id = t.category_id
      inner join members m on m.id = t.author_id
      inner join posts p on p.thread_id = t.id and p.post_number = 1
      -- A question hidden after flags shows nothing of itself, nor does it count as matching.
      cross join lateral (select case when p.hidden_at is null then p.body_source else '' end as text) question
      -- A thread found only by its replies shows the reply that matched (the accepted answer
      -- first), not a question without the words: among the same replies its search document
      -- holds (see refreshSearchDocument). Which part of the thread has the words is read from
      -- the document's weights rather than by parsing texts again: A and B for the title and
      -- question (leaving a hidden question out), C for the accepted answer. Only a thread
      -- found by its other replies (D) reads them, in order up to the first that matches. With
      -- no "-word" in the query, a reply can only match when the replies together do.
      -- Each part is looked at only when the ones before it do not match, and once: "offset 0"
      -- keeps the planner from copying the test into every place that reads its outcome.
      cross join lateral (
        select case when t.search_document @@ (select heading from parts) then 'heading'
          when t.search_document @@ (select accepted from parts) then 'accepted answer'
          else 'replies' end as matched
        offset 0
      ) part
      left join lateral (
        (select r.id, r.body_source from posts r where part.matched = 'accepted answer' and r.id = t.accepted_post_id and r.hidden_at is null)
        union all
        (select r.id, r.body_source from (
            select id, body_source, post_number, sum(octet_length(body_source) + 1) over (order by post_number) - octet_length(body_source) - 1 as starts_at
            from posts
            where part.matched = 'replies'
              and ((select q::text ~ '!' from q) or t.search_document @@ (select replies from parts))
              and thread_id = t.id and post_number > 1 and hidden_at is null and id is distinct from t.accepted_post_id
            order by post_number limit ${sql.raw(String(SEARCHED_REPLIES.count))}
          ) r
          -- Only the replies that the document holds (see refreshSearchDocument): it stops after
          -- SEARCHED_REPLIES.characters, and without this a thread of a hundred long replies was
          -- read whole, three million characters, for one result. Counted in bytes, which the
          -- database knows without reading a reply: a non-Latin reply that the document holds
          -- past that many bytes shows the question instead.
          where r.starts_at < ${sql.raw(String(SEARCHED_REPLIES.characters))} and ${replyMatches}
          order by r.post_number
          limit 1)
      ) reply on true`;
}

export type SearchResult = ReturnType<typeof searchResults>["results"][number];

function searchResults(query: string, rows: SearchRow[], hasMore: boolean) {
  const terms = queryTerms(query);
  return {
    results: rows.map((row) => ({
      id: row.id,
      // The title as parts, its matching words marked like the snippet's.
      title: highlighted(row.title, terms),
      slug: row.slug,
      replyCount: row.replyCount,
      solved: row.solved,
      categoryName: row.categoryName,
      categorySlug: row.categorySlug,
      authorName: row.authorName,
      snippetFrom: row.reply === null ? ("question" as const) : row.replyAccepted ? ("accepted answer" as const) : ("reply" as const),
      snippet: postSnippet(row.reply ?? row.question, terms),
    })),
    hasMore,
  };
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Words that say nothing about a hosting problem; left out when looking for similar threads.
const FILLER = new Set("the and for with how can does not why what when where who you your my our are was were have has had this that from into about after before just get got any there their them then than but also its it's don't cannot help please need".split(" "));

export function queryTerms(query: string): Set<string> {
  // In the query's syntax (websearch_to_tsquery) "-word" leaves a word out and "or" joins two:
  // neither is a word to mark in what was found.
  const wanted = query
    .split(/\s+/)
    .filter((token) => !token.startsWith("-") && token.toLowerCase() !== "or")
    .join(" ");
  // A "word" of nothing but the dot that folding drops (U+0307) folds to nothing: it is no word
  // to look for, and looking for "" everywhere would never end.
  return new Set((wanted.match(WORD) ?? []).map(fold).filter((term) => term !== ""));
}

/** Case-folds a word for comparison, so "Łódź" matches "łódź" and "İstanbul" "istanbul". */
function fold(word: string): string {
  // Most words are plain ASCII letters and digits, which normalizing leaves as they are.
  if (ASCII.test(word)) return word.toLowerCase();
  return word.normalize("NFKC").toLowerCase().replace(/\u0307/g, "");
}
const ASCII = /^[a-zA-Z0-9]*$/;

/**
 * Markdown source as the text a reader sees: code blocks and images dropped, links as their
 * text, and the marks of emphasis, code, headings, quotes, lists and tables taken out without
 * leaving a gap where they touched a word ("`www.example.com`." reads "www.example.com.").
 * Emphasis is taken out only as markdown shows it, a pair of marks around text, so what the
 * same characters also write stays: `error_log`, `_dmarc`, `*.example.com`, `5 * 3`, `~/.bashrc`.
 *
 * Every pattern takes time in proportion to the text, whatever a member writes: patterns that
 * looked from each mark to the end of its line or text took 0.3-0.8 s on a post of 30,000
 * characters of marks with no partner, and a search page cleans up to 15 posts. So emphasis,
 * link text and link addresses are looked for only up to a length, and links only up to the next
 * "[" (EMPHASIS, LINK, IMAGE): a longer one keeps its marks in the snippet. Such a post now takes
 * at most about 5 ms; one of 30,000 characters of ordinary links and emphasis, 0.5 ms.
 */
export function plainText(markdown: string): string {
  let text = markdown;
  // Most posts have no code block, image or link: their patterns are only run on those that do.
  if (text.includes("```")) text = text.replace(/```[\s\S]*?```/g, " ");
  if (text.includes("](")) text = text.replace(IMAGE, " ").replace(LINK, "$1");
  text = text.replace(RULES, "").replace(LINE_MARKS, "");
  if (text.includes("|")) text = text.replace(TABLE_HEAD_LINES, "");
  if (EMPHASIS_MARK.test(text)) text = text.replace(EMPHASIS, (_, underscores, inUnderscores, stars, inStars) => inUnderscores ?? inStars);
  return text.replace(/`+/g, "").replace(GAPS, " ").trim();
}
// Images, and links (their text kept): up to 300 characters of text and 500 of address, neither
// holding a "[", where the next link would start.
const IMAGE = /!\[[^[\]]{0,300}\]\([^)[\n]{0,500}\)/g;
const LINK = /\[([^[\]]{0,300})\]\([^)[\n]{0,500}\)/g;
// Lines that only draw: rules and headings' underlines; a table's line under its head (a line
// of only spaces, "|", ":" and "-", with a "|" and a "-").
const RULES = /^[ \t]*(?:[-=*_][ \t]*){3,}$/gm;
const TABLE_HEAD_LINES = /^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$/gm;
// A line's heading, quote and list marks ("#1" is not a heading, "-5" not a list).
const LINE_MARKS = /^[ \t]*(?:(?:>|#{1,6}(?=[ \t]|$)|[*+-](?=[ \t]))[ \t]*)+/gm;
// Emphasis as markdown reads it: one to three _ not inside a word, or * (or ~~ for strikethrough)
// anywhere, before text that starts and ends with no space, and the same marks after it. Up to
// 100 characters of text (a sentence or two): it is looked for from every mark.
const EMPHASIS = /(?<![\p{L}\p{N}_])(_{1,3})(?=\S)([^\n]{0,100}?\S)\1(?![\p{L}\p{N}_])|(\*{1,3}|~~)(?=\S)([^\n]{0,100}?\S)\3/gu;
const EMPHASIS_MARK = /[*_~]/;
// Whitespace, and table cells' borders, to be one space each run: every run but a lone space,
// which is one already (most of a text's gaps, left as they are rather than copied).
const GAPS = /[\s|]{2,}|[^\S ]|\|/g;

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * About 240 characters of the text around the first matching word, as parts to render (matches
 * marked). Parts, not HTML: the page escapes them like any other text.
 */
export function snippet(text: string, terms: Set<string>, length = SNIPPET_LENGTH): SnippetPart[] {
  return snippetOf(text, terms, length, { before: false, after: false })!;
}
const SNIPPET_LENGTH = 240;

/**
 * A post's snippet: snippet() of its plainText(). A post can be as long as BODY_MAX, and cleaning
 * the whole of one of 30,000 characters for a snippet of 240 took 0.2 to 0.4 ms (a search page
 * shows 15), so a post longer than two stretches is cleaned only in a stretch of whole lines
 * around its first matching word outside code: 0.07 ms in all, most of it finding that word.
 * When the stretch holds no match once cleaned (the word was in a link's address, say), or its
 * snippet would reach the stretch's start or end, the whole post is cleaned after all.
 *
 * The snippet is then the one the whole post gives, but for markup that reaches across the
 * stretch's edges or joins parts of a word: a link or image whose brackets lie on either side of
 * an edge, emphasis or a link in a line too long to cut at a line break, and marks inside a word
 * ("un**believ**able", "err`or`"), which the whole post reads as the word and the source does
 * not. Each leaves the snippet at another match, or shows a stray mark, and needs markdown that
 * is broken or unusual; tests/unit/forum-rules.test.ts compares the two on long posts without it.
 */
export function postSnippet(markdown: string, terms: Set<string>): SnippetPart[] {
  if (markdown.length <= 2 * (SOURCE_AROUND_MATCH.before + SOURCE_AROUND_MATCH.after)) return snippet(plainText(markdown), terms);
  const stretch = sourceAroundMatch(markdown, terms);
  const parts = stretch && snippetOf(plainText(markdown.slice(stretch.start, stretch.end)), terms, SNIPPET_LENGTH, { before: stretch.start > 0, after: stretch.end < markdown.length });
  return parts ?? snippet(plainText(markdown), terms);
}
// Markdown source to clean before and after a long post's first match: several times what the
// snippet shows of it, so that markup cleaned away seldom leaves too little. The stretch starts
// where the line holding the point `before` characters ahead of the match starts, when that is
// within `before` more characters (so up to twice `before` ahead of the match).
const SOURCE_AROUND_MATCH = { before: 600, after: 1_200 };

/**
 * Where to cut a long post's source for its snippet (see postSnippet): the lines from about
 * SOURCE_AROUND_MATCH.before characters before its first match outside a code block to about
 * SOURCE_AROUND_MATCH.after after it, no code block cut in two. Null without such a match.
 */
function sourceAroundMatch(markdown: string, terms: Set<string>): { start: number; end: number } | null {
  const blocks = codeBlocks(markdown);
  const inBlock = (at: number) => {
    // The last block that starts before `at` (the blocks are in order), found by halving: a post
    // can hold thousands.
    let low = 0;
    for (let high = blocks.length; low < high; ) {
      const middle = (low + high) >>> 1;
      if (blocks[middle]!.start < at) low = middle + 1;
      else high = middle;
    }
    const block = blocks[low - 1];
    return block && at < block.end ? block : undefined;
  };
  const match = wordMatches(markdown, terms).find((found) => !inBlock(found.start));
  if (!match) return null;
  // Cut at line breaks, where plainText's rules (each a line's, but for links, images and code
  // blocks) clean the stretch as they clean the whole post; in a line too long for that, after
  // the last space before the cut, wherever that is.
  const { before, after } = SOURCE_AROUND_MATCH;
  let start = Math.max(0, match.start - before);
  const lineStart = markdown.lastIndexOf("\n", start) + 1;
  start = start - lineStart <= before ? lineStart : markdown.lastIndexOf(" ", start) + 1;
  // A code block cut in two would pair its other half with the next block's start: each is
  // whole, from its line's start, or to its closing fence (the rest of that line left out).
  for (let block = inBlock(start); block; block = inBlock(start)) start = markdown.lastIndexOf("\n", block.start) + 1;
  let end = Math.min(markdown.length, match.end + after);
  const endOf = (found: number) => (found === -1 ? markdown.length : found);
  const lineEnd = endOf(markdown.indexOf("\n", end));
  end = lineEnd - end <= after ? lineEnd : endOf(markdown.indexOf(" ", end));
  end = inBlock(end)?.end ?? end;
  return { start, end };
}

/** The code blocks that plainText drops: from each ``` to the next, as its pattern pairs them. */
function codeBlocks(markdown: string): { start: number; end: number }[] {
  const blocks: { start: number; end: number }[] = [];
  for (let open = markdown.indexOf("```"); open !== -1; ) {
    const close = markdown.indexOf("```", open + 3);
    if (close === -1) break;
    blocks.push({ start: open, end: close + 3 });
    open = markdown.indexOf("```", close + 3);
  }
  return blocks;
}

/**
 * The snippet of `text`, a stretch of a longer text cut `before` or `after` it; or null when the
 * longer text's snippet could differ: when the stretch has no match, or starts or ends inside
 * its snippet.
 */
function snippetOf(text: string, terms: Set<string>, length: number, cut: { before: boolean; after: boolean }): SnippetPart[] | null {
  const found = wordMatches(text, terms);
  const firstAt = found[0]?.start ?? -1;
  let start = firstAt > 0 ? Math.max(0, firstAt - 60) : 0;
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  let end = Math.min(text.length, start + length);
  // Ended before a space, as it is started after one, rather than inside a word: unless the word
  // is a long one (a URL), or the first match runs past the end.
  if (end < text.length) {
    const lastSpace = text.lastIndexOf(" ", end);
    if (lastSpace > start && lastSpace > end - 40) end = Math.max(lastSpace, found[0]?.end ?? 0);
  }
  if ((cut.before || cut.after) && (firstAt === -1 || (cut.before && start === 0) || (cut.after && end === text.length))) return null;
  const parts = markedParts(text, found, start, end);
  if (start > 0) parts.unshift({ text: "… ", match: false });
  if (end < text.length) parts.push({ text: " …", match: false });
  return parts;
}

/** The whole of `text` as parts to render, its words that fold to one of `terms` marked. */
export function highlighted(text: string, terms: Set<string>): SnippetPart[] {
  return markedParts(text, wordMatches(text, terms), 0, text.length);
}

/** `text` from `start` to `end` as parts, the matches wholly inside marked. */
function markedParts(text: string, found: { start: number; end: number }[], start: number, end: number): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let cursor = start;
  for (const { start: at, end: to } of found) {
    if (at < start) continue;
    if (to > end) break;
    if (at > cursor) parts.push({ text: text.slice(cursor, at), match: false });
    parts.push({ text: text.slice(at, to), match: true });
    cursor = to;
  }
  if (cursor < end) parts.push({ text: text.slice(cursor, end), match: false });
  return parts;
}

/** Where the words of `text` that fold to one of `terms` are, in order. */
function wordMatches(text: string, terms: Set<string>): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  const lower = text.toLowerCase();
  if (foldsInPlace(text, lower)) {
    // Folding this text keeps every character where it was, so each term is found in it with
    // indexOf: far cheaper than splitting the text into words and folding each one.
    const isWordAt = (at: number) => WORD_CHAR.test(lower.charAt(at));
    for (const term of terms) {
      for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
        if (!isWordAt(at - 1) && !isWordAt(at + term.length)) found.push({ start: at, end: at + term.length });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }
  // Words at even places, the text between them at odd places.
  const tokens = text.split(BETWEEN_WORDS);
  for (let i = 0, at = 0; i < tokens.length; at += tokens[i]!.length, i++) {
    const word = tokens[i]!;
    if (i % 2 === 0 && word && terms.has(fold(word))) found.push({ start: at, end: at + word.length });
  }
  return found;
}

/**
 * Whether lowercasing `text` is all that folding (see fold) does to it, character for character:
 * true for plain ASCII and for most text in other scripts; false when normalizing would change it
 * or a letter lowercases to two ("İ"), and for text with characters outside the BMP (some CJK and
 * historic scripts), two UTF-16 units each, where a match's neighbours, looked at a unit each
 * side, could not be told for letters.
 */
function foldsInPlace(text: string, lower: string): boolean {
  if (ASCII_TEXT.test(text)) return true;
  return lower.length === text.length && !lower.includes("\u0307") && !SURROGATE.test(text) && text.normalize("NFKC") === text;
}
const ASCII_TEXT = /^[\t\n\r\x20-\x7e]*$/;
const SURROGATE = /[\ud800-\udfff]/;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const BETWEEN_WORDS = /([^\p{L}\p{M}\p{N}]+)/u;

interface SimilarThread {
  id: number;
  title: string;
  slug: string;
  replyCount: number;
}

/**
 * Solved threads whose words overlap a title being typed: asked already, answered already. It is
 * a search for solved threads with any of the title's words, so a title of common words ranks
 * the newest window's matches as search does (SEARCH_WINDOW) rather than tens of thousands of
 * threads on every pause in typing (200 ms for a title about a PHP version on the bench's forum).
 */
export async function similarSolvedThreads(title: string, limit = 5): Promise<SimilarThread[]> {
  const words = [...new Set((title.match(WORD) ?? []).map(fold))].filter((w) => w.length >= 3 && !FILLER.has(w)).slice(0, 10);
  if (words.length === 0) return [];
  // Each word is letters, marks and digits only, so "or" between them is the whole query's syntax.
  const row = await runSearch({ query: words.join(" or "), status: "solved", page: 1 }, SEARCH_WINDOW, "titles");
  return parseJson<{ found: SimilarThread[] }>(row.results)
    .found.slice(0, limit)
    .map(({ id, title, slug, replyCount }) => ({ id, title, slug, replyCount }));
}
