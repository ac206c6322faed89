/**
 * Markdown to safe HTML. Runs once per write (in a worker thread, see cook.server.ts); pages
 * serve the stored result. The sanitizer is an explicit allow-list: anything not named here,
 * including every style, script, iframe, object, form and svg, never reaches a page.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { BODY_MAX } from "../forum-rules";

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
    a: (tagName, { href, ...attribs }) => {
      const followable = followableHref(href);
      return { tagName, attribs: { ...attribs, ...(followable === undefined ? {} : { href: followable }), rel: "nofollow ugc noopener" } };
    },
    // Images only from absolute https addresses: a relative src would make every reader's
    // browser request a forum address (and http would break under the page's CSP).
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: src && /^https:\/\//i.test(src) ? { ...rest, src } : rest };
    },
  },
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
};

/**
 * A link's address if readers may follow it: one with a scheme (allowedSchemes then keeps http,
 * https and mailto only), or a place on this forum, "/t/12/…" or "#post-3". Any other address
 * without a scheme is dropped: "//host" and "/\host" lead to another site, and "../x" or
 * "page.html" would resolve against whichever page shows the post.
 */
function followableHref(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  // As a browser reads it: tabs and line breaks dropped anywhere, controls and spaces around it.
  // eslint-disable-next-line no-control-regex -- these control characters are what is removed
  const url = href.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  if (url.startsWith("#") || /^\/(?![/\\])/.test(url)) return url;
  return undefined;
}

export function renderMarkdown(source: string): string {
  if (source.length > BODY_MAX) throw new RangeError(`Markdown longer than ${BODY_MAX} characters`);
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, SANITIZE);
}
