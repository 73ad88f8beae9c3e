/** Where relative and `~` paths in permissions are resolved. */
export interface PermissionBases {
	/** The user's home directory: `~/data` means `<home>/data`. */
	readonly home: string;
	/** The agent's own directory (its checkout): `data/out` means `<agentDir>/data/out`. */
	readonly agentDir: string;
}

/** A filesystem permission: read or write under one absolute path (and everything below it). */
export interface FilesystemPermission {
	readonly domain: 'filesystem';
	readonly action: 'read' | 'write';
	/** Absolute, normalised, no trailing slash (except `/` itself). */
	readonly path: string;
}

/** Outbound network access to one host (or every subdomain of one, `*.example.com`), optionally one port. */
export interface NetworkPermission {
	readonly domain: 'network';
	readonly action: 'egress';
	/** Lowercase host name, IPv4 address or bracketed IPv6 address; may start with `*.`. */
	readonly host: string;
	/** Undefined: any port. */
	readonly port: number | undefined;
}

/** Reading one environment variable of the user's. */
export interface EnvPermission {
	readonly domain: 'env';
	readonly action: 'read';
	readonly variable: string;
}

/** Reading one secret from the AgentSpace secret store. */
export interface SecretPermission {
	readonly domain: 'secret';
	readonly action: 'read';
	readonly name: string;
}

/** Starting child processes. */
export interface ProcessPermission {
	readonly domain: 'process';
	readonly action: 'spawn';
}

/**
 * Calling one tool of one agent (or of a built-in group, `agentspace` or
 * `fleet`), or every tool of it (`*`), through the run's channel to the
 * daemon (`AGENTSPACE_MCP_FD`).
 */
export interface ToolCallPermission {
	readonly domain: 'tool';
	readonly action: 'call';
	/** An agent id, or a built-in group's id. */
	readonly agent: string;
	/** A tool name, or `*` for every tool of `agent`. */
	readonly tool: string;
}

/**
 * Sending requests to one LLM provider through AgentSpace's endpoint, with
 * the user's key, which the agent never sees. Written `llm:<provider>`
 * (`llm:anthropic`, `llm:openai`, `llm:ollama`, `llm:openai-compatible:<name>`):
 * the provider stands where other domains have their action.
 */
export interface LlmPermission {
	readonly domain: 'llm';
	readonly action: 'use';
	/** `anthropic`, `openai`, `ollama` or `openai-compatible:<name>`. */
	readonly provider: string;
}

/** A parsed permission: what a `domain:action[:scope]` string grants. */
export type Permission =
	| FilesystemPermission
	| NetworkPermission
	| EnvPermission
	| SecretPermission
	| ProcessPermission
	| ToolCallPermission
	| LlmPermission;

/** Every domain and its actions, in the order `specs/permissions.md` lists them. */
export const PERMISSION_ACTIONS = {
	filesystem: ['read', 'write'],
	network: ['egress'],
	env: ['read'],
	secret: ['read'],
	process: ['spawn'],
	tool: ['call'],
	llm: ['use'],
} as const;
