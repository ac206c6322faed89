import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { bodiesInMarkup, PostBodiesProvider } from "~/components/post-body";

// Read before React takes the document over (see post-body.tsx).
const bodies = bodiesInMarkup(document);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <PostBodiesProvider value={bodies}>
        <RemixBrowser />
      </PostBodiesProvider>
    </StrictMode>,
  );
});
