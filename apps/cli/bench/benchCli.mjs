// What the CLI's benches that drive a real home share: running the built CLI
// against the home, and waiting for a state it reports.
import { spawnSync } from 'node:child_process';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `cli(argv)` runs the built CLI (`bin`) to completion against `home` with
 * `env`, throwing unless it exits 0, and returns its stdout; `cliJson(argv)`
 * adds --json and parses it. Each call waits at most `timeoutMs` unless given.
 */
export function cliRunner({ bin, home, env, timeoutMs }) {
	const cli = (argv, timeout = timeoutMs) => {
		const result = spawnSync(process.execPath, [bin, '--home', home, ...argv], {
			env,
			encoding: 'utf8',
			timeout,
		});
		if (result.error) throw result.error;
		if (result.status !== 0)
			throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
		return result.stdout;
	};
	return { cli, cliJson: (argv) => JSON.parse(cli([...argv, '--json'])) };
}

/** Resolves once `check()` is true, polling every 250 ms; throws after `timeoutMs`, naming `what`. */
export async function waitFor(check, what, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}
