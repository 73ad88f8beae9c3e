/** One progress notification of a tool call, as the agent sent it. */
export interface ToolProgress {
	readonly progress: number;
	readonly total?: number;
	readonly message?: string;
}

/** What a tool call produced: the tool's own answer (`isError` is the tool saying it failed). */
export interface RoutedOutcome {
	readonly isError: boolean;
	readonly content: readonly unknown[];
	readonly structuredContent?: Record<string, unknown>;
}

/**
 * What the router needs of a connected MCP agent: the McpAgentSession of
 * ./session satisfies it. Kept to these members so the router depends on the
 * session's contract, not its implementation.
 */
export interface RoutedSession {
	readonly agentId: string;
	readonly runId: string;
	callTool(
		name: string,
		args: Record<string, unknown>,
		options: {
			signal?: AbortSignal;
			onProgress?: (progress: ToolProgress) => void;
			timeoutMs: number;
		},
	): Promise<RoutedOutcome>;
	/** Resolves with why the session ended. */
	readonly ended: Promise<string>;
}

/** A tool as the router sees it: its definition, whether it is callable, its effective policy. */
export interface RoutableTool {
	readonly agentId: string;
	readonly name: string;
	/** The run whose tools/list offered it; a tool listed by another run than the attached one is not routed. */
	readonly runId?: string;
	readonly inputSchema: Readonly<Record<string, unknown>>;
	readonly outputSchema?: Readonly<Record<string, unknown>> | null;
	readonly definitionHash: string;
	/** `drifted`: the agent changed a pinned definition; not callable until accepted. */
	readonly state: 'offered' | 'drifted';
	/** The effective policy (explicit, the agent's `*`, or the security mode's default). */
	readonly policy: 'allow' | 'deny';
}
