import { userInfo } from 'node:os';

/** The person at the terminal, as an audit actor. */
export function cliActor(): { type: 'human'; id: string } {
	let id = 'unknown';
	try {
		id = userInfo().username;
	} catch {
		// No passwd entry (some containers): the uid still identifies the caller.
		id = `uid:${process.getuid?.() ?? 'unknown'}`;
	}
	return { type: 'human', id };
}

/** `sourceApp` of every audit entry written by the CLI. */
export const CLI_SOURCE_APP = 'agentspace-cli';
