// The set-up the daemon's service tests share: a temp home and database per
// test, a daemon run on it with the services under test (its log lines kept
// for failure messages), the fixture MCP agent installed with every tool
// allowed, and everything closed and removed after each test.
import { enableAgent, installAgent } from '@agentspace/agents';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { createMcpFixtureAgentRepo, type GitRepo } from '@agentspace/testing';
import { setToolPolicy } from '@agentspace/tools';
import { afterEach, beforeEach } from 'vitest';
import { callDaemon, type DaemonConnection } from '../daemonClient.js';
import type { AnyDaemonService } from '../daemonService.js';
import { type RunningDaemon, runDaemon } from '../runDaemon.js';

export const actor = { type: 'human', id: 'tester' } as const;

export interface ServiceHarness {
	/** The daemon's token (one per test file). */
	readonly token: string;
	/** The running daemon's log lines, cleared before each test. */
	readonly logLines: string[];
	/** This test's temp home and database. */
	readonly temp: TempHomeDb;
	/** The daemon startDaemon ran, until closed. */
	readonly daemon: RunningDaemon | undefined;
	/** Runs a daemon on the temp home with these services; `onLog` also hears each log line. */
	startDaemon(
		services: readonly AnyDaemonService[],
		onLog?: (line: string) => void,
	): Promise<DaemonConnection>;
	/** Closes the running daemon (if any) and waits for it. */
	closeDaemon(): Promise<void>;
	/** Removes `repo` after the test. */
	track<R extends GitRepo>(repo: R): R;
	/** Installs and enables the fixture MCP agent (run with `args`), every tool allowed. */
	installMcpFixture(args?: readonly string[]): Promise<void>;
	/** Polls `read` (every 25 ms, `tries` times) until it gives a value; else throws with the daemon's log. */
	until<T>(
		read: () => T | undefined | Promise<T | undefined>,
		what: string,
		tries?: number,
	): Promise<T>;
}

/**
 * Registers the per-test set-up and clean-up (call at the top of a test file,
 * before the file's own hooks: its beforeEach then runs after the temp home
 * is open, its afterEach before the daemon closes) and returns the harness.
 * `afterDaemon` runs after each test once the daemon is closed, before the
 * repos and the temp home are removed.
 */
export function serviceHarness(
	name: string,
	options: { afterDaemon?: () => Promise<void> } = {},
): ServiceHarness {
	const token = generateAuthToken();
	const logLines: string[] = [];
	const repos: GitRepo[] = [];
	let temp: TempHomeDb | undefined;
	let daemon: RunningDaemon | undefined;
	const closeDaemon = async () => {
		await daemon?.close(2000);
		await daemon?.closed;
		daemon = undefined;
	};
	beforeEach(() => {
		temp = openTempHomeDb(name);
		logLines.length = 0;
	});
	afterEach(async () => {
		await closeDaemon();
		await options.afterDaemon?.();
		for (const repo of repos.splice(0)) repo.cleanup();
		temp?.cleanup();
	});
	const harness: ServiceHarness = {
		token,
		logLines,
		get temp() {
			if (temp === undefined) throw new Error('no temp home outside a test');
			return temp;
		},
		get daemon() {
			return daemon;
		},
		async startDaemon(services, onLog) {
			daemon = await runDaemon({
				db: harness.temp.db,
				home: harness.temp.home,
				token,
				services,
				log: (line) => {
					logLines.push(line);
					onLog?.(line);
				},
			});
			return { socket: daemon.socket, token };
		},
		closeDaemon,
		track(repo) {
			repos.push(repo);
			return repo;
		},
		async installMcpFixture(args = []) {
			const { db, home } = harness.temp;
			const repo = harness.track(createMcpFixtureAgentRepo({ args }));
			await installAgent({ db, home, source: repo.url, actor });
			enableAgent({ db, id: 'mcp-fixture', approve: 'all', actor });
			setToolPolicy(db, { agentId: 'mcp-fixture', tool: '*', policy: 'allow', actor });
		},
		async until(read, what, tries = 400) {
			for (let i = 0; i < tries; i++) {
				const value = await read();
				if (value !== undefined) return value;
				await new Promise((resolve) => setTimeout(resolve, 25));
			}
			throw new Error(`gave up waiting for ${what}; daemon log:\n${logLines.join('\n')}`);
		},
	};
	return harness;
}

/** Asks the daemon's supervisor to run `id` once (no restart), with no extra environment. */
export function runAgent(connection: DaemonConnection, id: string, unsandboxed = true) {
	return callDaemon(connection, 'run', { id, restart: 'no', unsandboxed, env: {}, actor });
}
