/**
 * Bounds on what an MCP agent may send the daemon. An agent is untrusted: every
 * count, size and wait it controls has a ceiling here, so one misbehaving agent
 * ends in a clear status for itself and never disturbs the daemon or others.
 */

/** The largest protocol message (one newline-delimited JSON-RPC line) accepted from an agent: 4 MiB. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The most tools one agent may offer; a longer list fails the agent's session. */
export const MAX_TOOLS_PER_AGENT = 1000;

/** The most `tools/list` pages read for one listing (a server paging forever is cut off). */
export const MAX_TOOL_LIST_PAGES = 100;

/** The largest definition (canonical JSON of one tool) kept; a bigger tool is dropped with a logged problem. */
export const MAX_TOOL_DEFINITION_BYTES = 64 * 1024;

/**
 * The largest whole tool list (canonical JSON of every kept definition, hashes
 * included, as one `agent_tools_listed` event holds it): 4 MiB. 1,000 tools of
 * 64 KiB each would otherwise put ~64 MB in one event (the event store has no
 * size cap); a tool that would take the list over it is dropped with a logged
 * problem, and the registry refuses a list over it.
 */
export const MAX_TOOL_LIST_BYTES = 4 * 1024 * 1024;

/** The longest tool name (the MCP specification's 1–128 characters of `[A-Za-z0-9_.-]`). */
export const MAX_TOOL_NAME_LENGTH = 128;

/** How long an agent has to answer `initialize` and its first `tools/list`. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** How often the daemon pings each MCP agent. */
export const DEFAULT_PING_INTERVAL_MS = 15_000;

/** Pings in a row left unanswered before an agent is marked unhealthy. */
export const PINGS_MISSED_UNHEALTHY = 3;

/**
 * Unsolicited messages (notifications, answers to ids never asked) accepted per
 * second; beyond, they are dropped and counted, and an agent that keeps it up
 * for {@link FLOOD_SECONDS_FATAL} seconds in a row is failed.
 */
export const MAX_NOTIFICATIONS_PER_SECOND = 1000;

/** Seconds in a row over {@link MAX_NOTIFICATIONS_PER_SECOND} (or of unparsable lines over {@link MAX_GARBAGE_LINES_PER_SECOND}) that fail the session. */
export const FLOOD_SECONDS_FATAL = 3;

/** Unparsable stdout lines tolerated per second (reported, bounded); more, persistently, fails the session. */
export const MAX_GARBAGE_LINES_PER_SECOND = 10;

/** The longest log line the session writes about an agent (its text quoted in it is cut to fit). */
export const MAX_SESSION_LOG_LINE = 500;

/** The deepest nesting of objects and arrays kept in a tool definition (deeper ones would overflow recursive walkers). */
export const MAX_TOOL_DEFINITION_DEPTH = 64;

/** The deepest nesting of objects and arrays accepted in a message (recursive code downstream would overflow on deeper ones). */
export const MAX_MESSAGE_DEPTH = 100;

/** The least time between two re-listings of an agent's tools after list_changed (the first one is not held back). */
export const MIN_RELIST_INTERVAL_MS = 1000;

/** The longest server name, version or title recorded of an agent's `initialize` answer (cut to it). */
export const MAX_SERVER_INFO_LENGTH = 200;

/** The longest negotiated protocol version recorded (the SDK's are dates: `2025-06-18`). */
export const MAX_PROTOCOL_VERSION_LENGTH = 64;

/**
 * The largest capabilities object recorded (canonical JSON): 16 KiB. A bigger
 * one is recorded as its top-level keys only, each `{}`.
 */
export const MAX_CAPABILITIES_BYTES = 16 * 1024;
