import { shellCommand, shellQuote } from './shellQuote.js';

/**
 * Shell text that waits until something listens on each TCP port of `ports`
 * (state 0A in /proc/net/tcp), checking every 10 ms, at most `tries` times:
 * a bridge started in the background right before the agent must be
 * listening before the agent's first request.
 */
export function awaitPorts(ports: readonly number[], tries: number): string {
	const listening = ports.map(
		(port) =>
			`grep -q ":${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A" /proc/net/tcp`,
	);
	const condition = listening.length === 1 ? listening[0] : `{ ${listening.join(' && ')}; }`;
	return `i=0; until [ "$i" -ge ${tries} ] || ${condition} 2>/dev/null; do sleep 0.01; i=$((i+1)); done`;
}

// The wrapper starts the sandbox's proxy listeners (socat on 3128 and 1080) in
// the background right before the command, so a request in the first
// milliseconds could find nothing listening. Wait until both listen, at most
// about a second. Exported for the supervisor's own network-approved
// sandboxes (directBwrapArgv), which start the same bridges.
export const AWAIT_PROXY = awaitPorts([3128, 1080], 100);

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
