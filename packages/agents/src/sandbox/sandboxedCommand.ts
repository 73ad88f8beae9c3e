import { ValidationError } from '@agentspace/core';
import { type SandboxLaunch, validateSandboxLaunch } from './sandboxLaunch.js';
import type { SandboxPolicy } from './sandboxPolicy.js';

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
 * The argv that runs an agent inside the OS sandbox: this Node with the
 * sandbox host script and the policy + the agent's argv as one JSON argument.
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
	return { command: process.execPath, args: [input.hostScript, JSON.stringify(launch)] };
}
