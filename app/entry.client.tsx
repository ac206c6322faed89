import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { fragmentsInMarkup, MarkupFragmentsProvider } from "~/components/server-markup";

// Read before React takes the document over (see server-markup.tsx).
const fragments = fragmentsInMarkup(document);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <MarkupFragmentsProvider value={fragments}>
        <RemixBrowser />
      </MarkupFragmentsProvider>
    </StrictMode>,
  );
});
