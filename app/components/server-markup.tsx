/**
 * Markup made on the server outside React, sent once per page.
 *
 * A thread page's posts, the search page's results and the thread lists are written as HTML
 * strings (~/components/thread-posts.server, search-results.server, thread-list.server), several
 * times faster than React renders them, and put into the page as fragments. Remix would send each
 * fragment a second time in the page's hydration data, which for a thread of long answers is as
 * heavy as the page itself. So on a request for a whole page, the loader hands the fragments to
 * the server's render through the load context (`markupFragments`) and leaves them out of its
 * data; in the browser, they are read back from the markup before hydration (`fragmentsInMarkup`).
 * A client navigation's data request carries the fragments in its data as usual.
 *
 * Reading a fragment back from the DOM and setting it again, should React ever render it anew,
 * gives the same elements: the fragments and the posts' cooked bodies hold only plain elements
 * (see markdown/render.ts), none of those whose serialization can change their meaning (svg,
 * math, style, noscript, template).
 */
import { useNavigation, useSubmit } from "@remix-run/react";
import { createContext, useContext, useEffect, useRef, type FormEvent } from "react";

/** HTML by fragment name. */
export type MarkupFragments = Map<string, string>;

const FragmentsInMarkup = createContext<MarkupFragments | null>(null);
export const MarkupFragmentsProvider = FragmentsInMarkup.Provider;

/**
 * A fragment in a <div>. `html` is null when the page's markup carries it (see above); an empty
 * fragment renders no element at all.
 *
 * Its forms are plain HTML forms, which post as any form without JavaScript. With it, they are
 * submitted through Remix, as its <Form> would be, and when the answer replaces the markup, the
 * button that was pressed gives its focus to the button in its place, so that a keyboard user
 * is not sent back to the top of the page.
 */
export function ServerMarkup({ name, html, className }: { name: string; html: string | null; className?: string }) {
  const inMarkup = useContext(FragmentsInMarkup);
  const content = html ?? inMarkup?.get(name) ?? "";
  const submit = useSubmit();
  const idle = useNavigation().state === "idle";
  const container = useRef<HTMLDivElement>(null);
  const pressed = useRef<PressedButton | null>(null);

  useEffect(() => {
    const place = pressed.current;
    // Only when the pressed button went with the old markup and took the focus with it.
    if (!place || place.button.isConnected || !container.current || (document.activeElement && document.activeElement !== document.body)) return;
    pressed.current = null;
    container.current.querySelector(`#${CSS.escape(place.postId)}`)?.querySelectorAll("button")[place.index]?.focus({ preventScroll: true });
  }, [content]);
  // Declared after the effect above, so that it runs after it: a submission's answer has come,
  // and a later change of markup has nothing to do with the button.
  useEffect(() => {
    if (idle) pressed.current = null;
  }, [idle]);

  const onSubmit = (event: FormEvent<HTMLDivElement>) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    // The button pressed goes as the target, so that its name and value go with the form's fields.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const button = submitter instanceof HTMLButtonElement ? submitter : null;
    pressed.current = button && pressedButton(button);
    submit(button ?? form);
  };

  if (!content) return null;
  return <div ref={container} className={className} data-markup={name} onSubmit={onSubmit} dangerouslySetInnerHTML={{ __html: content }} />;
}

/** A pressed button, with its place: its post (the nearest element with an id) and its order among the post's buttons. */
interface PressedButton {
  button: HTMLButtonElement;
  postId: string;
  index: number;
}

function pressedButton(button: HTMLButtonElement): PressedButton | null {
  const post = button.parentElement?.closest<HTMLElement>("[id]");
  return post ? { button, postId: post.id, index: [...post.querySelectorAll("button")].indexOf(button) } : null;
}

/**
 * A fragment as a loader returns it: on a request for a whole page (`markup` present) it moves
 * into `markup`, for the server's render, and out of the data.
 */
export function leftToMarkup(name: string, html: string, markup: MarkupFragments | null): string | null {
  if (!markup) return html;
  markup.set(name, html);
  return null;
}

/** In the browser, before hydration: the fragments the server's markup carries. */
export function fragmentsInMarkup(root: ParentNode): MarkupFragments {
  const fragments: MarkupFragments = new Map();
  for (const element of root.querySelectorAll<HTMLElement>("[data-markup]")) fragments.set(element.dataset.markup!, element.innerHTML);
  return fragments;
}
