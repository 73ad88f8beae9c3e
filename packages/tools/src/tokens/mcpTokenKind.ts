import type { BearerTokenKind } from '@agentspace/events';
import { TOOLS_PROJECT_KEY } from '../registry/recordToolChange.js';

/** The MCP HTTP endpoint's tokens as a bearer token kind (the shared mint/verify/revoke code). */
export const MCP_TOKEN_KIND: BearerTokenKind = {
	prefix: 'asmcp_',
	table: 'mcp_tokens',
	events: { minted: 'mcp_token_minted', revoked: 'mcp_token_revoked' },
	auditTypes: { minted: 'mcp.token_minted', revoked: 'mcp.token_revoked' },
	subjectType: 'mcp-token',
	projectKey: TOOLS_PROJECT_KEY,
	label: 'MCP token',
	command: 'agentspace mcp token',
	exampleName: 'claude-desktop',
	maxActive: 100,
};
