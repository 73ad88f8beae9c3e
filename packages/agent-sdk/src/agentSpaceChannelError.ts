/** Why {@link connectAgentSpace} could not connect, with a stable code and what to do next. */
export class AgentSpaceChannelError extends Error {
	/** `NO_CHANNEL` (no AGENTSPACE_MCP_FD), `BAD_CHANNEL` (not a usable descriptor) or `CONNECT_FAILED` (initialize failed). */
	readonly code: 'NO_CHANNEL' | 'BAD_CHANNEL' | 'CONNECT_FAILED';
	/** What to do about it. */
	readonly hint: string;

	constructor(message: string, code: AgentSpaceChannelError['code'], hint: string) {
		super(`error[${code}]: ${message}\nhint: ${hint}`);
		this.name = 'AgentSpaceChannelError';
		this.code = code;
		this.hint = hint;
	}
}
