// A leaf module: the request schema and the socket server both bound a request by it,
// and neither imports the protocol's result types for it.

/** A request line longer than this is refused (the largest real one is a few KB). */
export const MAX_REQUEST_BYTES = 256 * 1024;
