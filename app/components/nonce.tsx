import { createContext, useContext } from "react";

// The CSP nonce reaches the <Scripts> in the root component through context. In the browser it
// is empty: scripts added after hydration are loaded from 'self' and need no nonce.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
