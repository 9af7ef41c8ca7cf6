import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as Express sees it. */
    ip: string | null;
    /** The CSP nonce for this response's scripts. */
    nonce: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
