// What the end-to-end tests of published MCP servers (server-everything,
// server-filesystem) run as sandboxed agents share: the built CLI checked to
// succeed, the tools the daemon lists, and waits that show the daemon log when
// they give up.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';

export interface PublishedServerHome {
	/** The daemon's log so far ('' before it has one). */
	daemonLog(): string;
	/** Resolves once `check` holds; throws after `timeoutMs` with `what` and the daemon log. */
	until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
	/** Runs the CLI and expects it to exit 0 (naming the command and its stderr if not). */
	cli(args: string[]): ReturnType<typeof runCli>;
	/** The targets (`<agent>/<tool>`) `tools list` shows. */
	listedTargets(): string[];
}

/** The helpers for the home `home()` returns (read on each call: tests create it in beforeAll). */
export function publishedServerHome(
	home: () => string,
	env: Record<string, string> = {},
): PublishedServerHome {
	function daemonLog(): string {
		const log = join(home(), 'logs', 'daemon.log');
		return existsSync(log) ? readFileSync(log, 'utf8') : '';
	}
	return {
		daemonLog,
		async until(check, what, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (!check()) {
				if (Date.now() > deadline)
					throw new Error(`gave up waiting for ${what}; daemon log:\n${daemonLog()}`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		cli(args) {
			const result = runCli(home(), args, env);
			expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
			return result;
		},
		listedTargets() {
			return runCliJson<{ tools: { target: string }[] }>(home(), ['tools', 'list']).json.tools.map(
				(tool) => tool.target,
			);
		},
	};
}
