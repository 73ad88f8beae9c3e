import { ValidationError } from '@agentspace/core';
import { type SandboxLaunch, validateSandboxLaunch } from './sandboxLaunch.js';
import type { SandboxPolicy } from './sandboxPolicy.js';

/**
 * Node flags of the sandbox host: a young generation of at most 1 MB. The
 * host idles beside its agent for the whole run; letting V8 grow the young
 * generation to its default 16 MB cost each run about 2 MB (PSS) for
 * nothing (launcher bench, network-approved agents).
 */
export const HOST_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** What {@link sandboxedCommand} wraps. */
export interface SandboxedCommandInput {
	/** The sandbox host's entry script (`dist/sandbox/sandboxHostMain.js`, or the CLI's bundle of it). */
	readonly hostScript: string;
	readonly policy: SandboxPolicy;
	/** The agent's command and arguments: never a shell string. */
	readonly command: string;
	readonly args: readonly string[];
}

/**
 * The argv that runs an agent inside the OS sandbox: this Node (with
 * {@link HOST_NODE_FLAGS}) with the sandbox host script and the policy + the
 * agent's argv as one JSON argument (the last).
 * Start it like the agent itself (its environment, cwd, pipes, own process
 * group). The argument is visible in `ps`: it holds paths and host names,
 * never secrets (those travel in the environment). A policy the host would
 * refuse is refused here already, with `VALIDATION_FAILED` and every problem.
 */
export function sandboxedCommand(input: SandboxedCommandInput): {
	command: string;
	args: string[];
} {
	const launch: SandboxLaunch = { ...input.policy, argv: [input.command, ...input.args] };
	const checked = validateSandboxLaunch(launch);
	if (!checked.ok) {
		throw new ValidationError('the sandbox policy of this run is invalid', {
			issues: checked.errors,
			hint: 'build the policy with sandboxPolicyFor from absolute, normalised paths',
		});
	}
	return {
		command: process.execPath,
		args: [...HOST_NODE_FLAGS, input.hostScript, JSON.stringify(launch)],
	};
}
