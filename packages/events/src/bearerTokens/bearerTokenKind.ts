/**
 * One kind of bearer token AgentSpace mints for a local endpoint: the MCP
 * HTTP endpoint's (`asmcp_…`, `agentspace mcp token`) or the LLM endpoint's
 * (`askey_…`, `agentspace keys token`). Both are minted, listed, revoked and
 * verified the same way; the kind says which prefix, events, table and audit
 * types, and the words the errors use.
 */
export interface BearerTokenKind {
	/** Every token starts with it, so a leaked one is recognisable: `asmcp_`, `askey_`. */
	readonly prefix: string;
	/** The projection table (columns as `mcp_tokens`). */
	readonly table: 'mcp_tokens' | 'key_tokens';
	readonly events: {
		readonly minted: 'mcp_token_minted' | 'key_token_minted';
		readonly revoked: 'mcp_token_revoked' | 'key_token_revoked';
	};
	readonly auditTypes: { readonly minted: string; readonly revoked: string };
	/** The audit subject's type: `mcp-token`, `key-token`. */
	readonly subjectType: string;
	/** The events' project key. */
	readonly projectKey: string;
	/** What errors call one, e.g. `MCP token`. */
	readonly label: string;
	/** The CLI command that manages them, e.g. `agentspace mcp token`. */
	readonly command: string;
	/** A name to suggest in the hint for a bad one, e.g. `claude-desktop`. */
	readonly exampleName: string;
	/** The most that may be usable at once. */
	readonly maxActive: number;
}
