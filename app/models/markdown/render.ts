/**
 * Markdown to safe HTML. Runs once per write (in a worker thread, see cook.server.ts); pages
 * serve the stored result. The sanitizer is an explicit allow-list: anything not named here,
 * including every style, script, iframe, object, form and svg, never reaches a page.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

export const MAX_SOURCE_LENGTH = 30_000;

const marked = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre", "kbd", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title"],
    code: ["class"],
    ol: ["start"],
    th: ["align"],
    td: ["align"],
  },
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  // Tags outside the list show as the text that was typed: hosting answers talk about
  // "a <style> tag" or "<?php" and must not lose the rest of the post to the sanitizer.
  disallowedTagsMode: "escape",
  transformTags: {
    // A post's headings sit below the page's own h1.
    h1: "h2",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc noopener" } }),
    // Images only from absolute https addresses: a relative src would make every reader's
    // browser request a forum address (and http would break under the page's CSP).
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: src && /^https:\/\//i.test(src) ? { ...rest, src } : rest };
    },
  },
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
};

export function renderMarkdown(source: string): string {
  if (source.length > MAX_SOURCE_LENGTH) throw new RangeError(`Markdown longer than ${MAX_SOURCE_LENGTH} characters`);
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, SANITIZE);
}
