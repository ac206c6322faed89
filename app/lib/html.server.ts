/**
 * HTML written as strings, for the places where React's server render is too slow: the posts of
 * a thread page, the search results and the thread lists (see ~/components/server-markup). React
 * spends a few microseconds on every element; a thread page has over a hundred in its posts, and
 * joining strings costs a tenth.
 *
 * `html` escapes every value put into it, as JSX does, unless the value is already HTML: the
 * result of another `html`, or text vouched for with `trustedHtml`. Attribute values must be
 * quoted in the template: escaping keeps a value inside its quotes, not an unquoted one.
 *
 * A line break in the template, with the spaces and tabs around it, is the layout of the source
 * and not text: `<p>\n  <a>` gives `<p><a>`. Unlike JSX, which joins two lines of text with a
 * space, it joins them with nothing: write a space where the page needs one.
 */
class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

// The type only: new values come from `html` and `trustedHtml`, so that nothing else is taken as markup.
export type { Html };

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most values (names, numbers, class names) need no escaping: test before building a new string.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

/** A template's literal parts with the source's line breaks taken out, once per template. */
const literalParts = new WeakMap<TemplateStringsArray, string[]>();

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let parts = literalParts.get(strings);
  if (!parts) literalParts.set(strings, (parts = strings.map((part) => part.replace(/[ \t]*\n[ \t\n]*/g, ""))));
  let text = parts[0]!;
  for (let i = 0; i < values.length; i++) text += valueText(values[i]) + parts[i + 1]!;
  return new Html(text);
}

/** Booleans, null and undefined show nothing, as in JSX, so that `${cond && html`…`}` works. */
function valueText(value: Value): string {
  if (value instanceof Html) return value.text;
  if (typeof value === "string") return escapeHtml(value);
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map(valueText).join("");
  return "";
}

/** HTML that is already safe to put in a page as it is: a post's body, sanitized when it was written. */
export function trustedHtml(text: string): Html {
  return new Html(text);
}
