import { shellCommand, shellQuote } from './shellQuote.js';

// The wrapper starts the sandbox's proxy listeners (socat on 3128 and 1080) in
// the background right before the command, so a request in the first
// milliseconds could find nothing listening. Wait until both listen (state 0A
// in /proc/net/tcp), at most about a second. Exported for the supervisor's own
// network-approved sandboxes (directBwrapArgv), which start the same bridges.
export const AWAIT_PROXY =
	'i=0; until [ "$i" -ge 100 ] || { grep -q ":0C38 00000000:0000 0A" /proc/net/tcp && grep -q ":0438 00000000:0000 0A" /proc/net/tcp; } 2>/dev/null; do sleep 0.01; i=$((i+1)); done';

/** Where and how the agent is started inside the sandbox. */
export interface InnerCommandInput {
	readonly argv: readonly string[];
	readonly cwd: string;
	readonly tmpdir: string;
	/** Wait for the in-sandbox proxy listeners first (Linux). */
	readonly awaitProxy: boolean;
}

/**
 * The command text the sandbox's shell runs: set TMPDIR (the wrapper forces
 * its own `/tmp/claude` otherwise), enter the agent's directory and `exec` the
 * agent, so the agent itself is the process signals reach. Every word is
 * quoted: nothing in the argv or the paths can inject a command.
 */
export function innerCommand(input: InnerCommandInput): string {
	return [
		...(input.awaitProxy ? [AWAIT_PROXY] : []),
		`export TMPDIR=${shellQuote(input.tmpdir)}`,
		`cd ${shellQuote(input.cwd)} && exec ${shellCommand(input.argv)}`,
	].join('; ');
}
