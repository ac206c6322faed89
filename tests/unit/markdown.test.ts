import { describe, expect, it } from "vitest";
import { BODY_MAX } from "~/models/forum-rules";
import { renderMarkdown } from "~/models/markdown/render";

describe("renderMarkdown", () => {
  it("renders ordinary markdown", () => {
    const html = renderMarkdown("# Fix\n\nRun `dig +short example.com`:\n\n```\n1.2.3.4\n```\n\n- one\n- two\n\n> quoted\n\n**bold** _it_");
    expect(html).toContain("<h2>Fix</h2>");
    expect(html).toContain("<code>dig +short example.com</code>");
    expect(html).toContain("<pre><code>1.2.3.4");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<strong>bold</strong>");
  });

  it("marks links nofollow ugc noopener and keeps only http, https and mailto", () => {
    const html = renderMarkdown("[docs](https://docs.example) [mail](mailto:a@b.example) [bad](javascript:alert(1)) [data](data:text/html,x) [rel](//evil.example)");
    expect(html).toContain('<a href="https://docs.example" rel="nofollow ugc noopener">docs</a>');
    expect(html).toContain('href="mailto:a@b.example"');
    expect(html).not.toMatch(/javascript:|data:text|href="\/\/evil/);
  });

  it("keeps links to this forum that start with one slash or a #, and no other address without a scheme", () => {
    expect(renderMarkdown("[the fix](/t/12/dns-fix?page=2#post-31)")).toContain('<a href="/t/12/dns-fix?page=2#post-31" rel="nofollow ugc noopener">the fix</a>');
    expect(renderMarkdown("[above](#post-3)")).toContain('<a href="#post-3" rel="nofollow ugc noopener">above</a>');
    for (const source of [
      "[rel](//evil.example/x)",
      '<a href="/\\evil.example">backslash</a>',
      '<a href="\\\\evil.example">two backslashes</a>',
      '<a href="/&#9;/evil.example">tab</a>',
      '<a href="  //evil.example">spaces</a>',
      "[up](../admin)",
      "[page](page.html)",
      "[query](?q=1)",
    ]) {
      const html = renderMarkdown(source);
      expect([source, html]).toEqual([source, expect.stringMatching(/^<p><a rel="nofollow ugc noopener">[^<]+<\/a><\/p>\n$/)]);
    }
  });

  it("shows tags it does not allow as the text that was typed, keeping the rest of the post", () => {
    const html = renderMarkdown("Put it in a <style> tag in your theme.\n\nThen clear the cache and reload.");
    expect(html).toContain("Put it in a &lt;style&gt; tag in your theme.");
    expect(html).toContain("Then clear the cache and reload.");
  });

  it("keeps images only from absolute https addresses", () => {
    expect(renderMarkdown("![logo](https://cdn.example/logo.png)")).toContain('<img alt="logo" src="https://cdn.example/logo.png" />');
    for (const source of ["![x](x.png)", "![x](/logout)", "![x](http://insecure.example/a.png)", '<img src="//evil.example/a.png">']) {
      expect(renderMarkdown(source)).not.toMatch(/<img/);
    }
  });

  it.each([
    ["<script>alert(1)</script>", /<script/],
    ['<img src="x" onerror="alert(1)">', /onerror/],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/],
    ["<object data=x></object><embed src=x>", /<object|<embed/],
    ['<form action="https://evil.example"><input name=a><button>go</button></form>', /<form|<input|<button/],
    ['<svg onload="alert(1)"><circle r=1 /></svg>', /<svg|<circle/],
    ['<p style="position:fixed;top:0">x</p>', /style=/],
    ["<style>body{display:none}</style>", /<style/],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/],
    // Stays as harmless text: no tag gains an event attribute.
    ['![x](x" onerror="alert(1))', /<[^>]*\son\w+=/],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', /data:image/],
  ])("removes %s", (source, forbidden) => {
    expect(renderMarkdown(source)).not.toMatch(forbidden);
  });

  it("refuses oversized input", () => {
    expect(() => renderMarkdown("x".repeat(BODY_MAX + 1))).toThrow(RangeError);
  });
});
