import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGitRepo, type GitRepo } from './gitRepo.js';

/** The fixture MCP agent's directory (`fixtures/mcp-agent`: server.mjs, its manifest, a README). */
export const MCP_FIXTURE_AGENT_DIR = fileURLToPath(
	new URL('../fixtures/mcp-agent', import.meta.url),
);

// The MCP SDK this monorepo installs for @agentspace/tools (this package has no
// dependencies of its own). Its real path: the sandbox mounts / read-only, so an
// agent can load it from there, and Node resolves the SDK's own imports from it.
function mcpSdkDir(): string {
	const dir = fileURLToPath(
		new URL('../../tools/node_modules/@modelcontextprotocol/sdk', import.meta.url),
	);
	if (!existsSync(dir))
		throw new Error(`the MCP SDK is not installed at ${dir}: run pnpm install in the repository`);
	return realpathSync(dir);
}

/**
 * The fixture MCP agent's script, its SDK imports (`@modelcontextprotocol/sdk/…`)
 * rewritten to file URLs of the SDK's ESM build in this monorepo: a single file
 * that runs with `node` from any directory, sandboxed or not.
 */
export function mcpFixtureAgentSource(): string {
	const esm = pathToFileURL(join(mcpSdkDir(), 'dist', 'esm')).href;
	return readFileSync(join(MCP_FIXTURE_AGENT_DIR, 'server.mjs'), 'utf8').replaceAll(
		/from '@modelcontextprotocol\/sdk\/([^']+)'/g,
		(_match, path: string) => `from '${esm}/${path}'`,
	);
}

/** Writes {@link mcpFixtureAgentSource} as `<dir>/agent.mjs` and returns that path (run it with `node <path> <flags>`). */
export function writeMcpFixtureAgent(dir: string): string {
	const path = join(dir, 'agent.mjs');
	writeFileSync(path, mcpFixtureAgentSource());
	return path;
}

/** The fixture MCP agent's manifest, as committed (`"protocol": "mcp"`, entrypoint `node agent.mjs`). */
export function mcpFixtureAgentManifest(): Record<string, unknown> {
	return JSON.parse(
		readFileSync(join(MCP_FIXTURE_AGENT_DIR, 'agentspace.agent.json'), 'utf8'),
	) as Record<string, unknown>;
}

/** What {@link createMcpFixtureAgentRepo} puts in the agent. */
export interface McpFixtureAgentRepoOptions {
	/** Flags after `agent.mjs` in the entrypoint (e.g. `['--ignore-pings']`; see server.mjs); none by default. */
	readonly args?: readonly string[];
	/** Manifest fields over the fixture's own (e.g. `{ id: 'tools-b', permissions: [...] }`). */
	readonly manifest?: Readonly<Record<string, unknown>>;
}

/**
 * A git repository of the fixture MCP agent, ready to install, enable and run:
 * no build step, `agent.mjs` ({@link mcpFixtureAgentSource}) and the manifest
 * committed once and tagged `v1`. The caller cleans it up.
 */
export function createMcpFixtureAgentRepo(options: McpFixtureAgentRepoOptions = {}): GitRepo {
	const repo = createGitRepo('mcp-agent');
	const manifest = mcpFixtureAgentManifest();
	repo.commit(
		{
			'agentspace.agent.json': {
				...manifest,
				entrypoint: { command: 'node', args: ['agent.mjs', ...(options.args ?? [])] },
				...options.manifest,
			},
			'agent.mjs': mcpFixtureAgentSource(),
			'README.md': readFileSync(join(MCP_FIXTURE_AGENT_DIR, 'README.md'), 'utf8'),
		},
		'the fixture MCP agent',
	);
	repo.tag('v1');
	return repo;
}

/** A fixture MCP agent running as a plain child process (see {@link startMcpFixtureAgent}). */
export interface McpFixtureAgentProcess {
	readonly process: ChildProcessWithoutNullStreams;
	/** The agent's stdout and stdin, as the supervisor hands them to the daemon. */
	readonly channel: { readonly fromAgent: Readable; readonly toAgent: Writable };
	/** Everything the agent wrote on stderr so far (its `mcp-fixture: …` notes). */
	stderr(): string;
	/** Resolves once the agent's stderr matches `pattern` (the test's own timeout bounds the wait). */
	waitForStderr(pattern: RegExp): Promise<void>;
	/** Resolves when the process has exited (with its exit code, or the signal that ended it). */
	readonly exited: Promise<number | NodeJS.Signals>;
	/** Kills the process (SIGKILL) and waits for it to exit. */
	stop(): Promise<void>;
}

let fixtureScript: string | undefined;

// One copy per content in the temp directory, shared by every test process
// (a copy per process would pile up: test workers are often killed, not exited).
function sharedFixtureScript(): string {
	const source = mcpFixtureAgentSource();
	const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
	const path = join(tmpdir(), `agentspace-mcp-fixture-${digest}.mjs`);
	if (!existsSync(path)) {
		// Written beside and renamed: a concurrent reader never sees half a script.
		const partial = `${path}.${process.pid}.tmp`;
		writeFileSync(partial, source);
		renameSync(partial, path);
	}
	return path;
}

/**
 * Starts the fixture MCP agent as a plain child process, `node agent.mjs <args>`
 * (flags as listed at the top of fixtures/mcp-agent/server.mjs), with pipes for
 * stdin, stdout and stderr. The caller stops it.
 */
export function startMcpFixtureAgent(args: readonly string[] = []): McpFixtureAgentProcess {
	fixtureScript ??= sharedFixtureScript();
	const child = spawn(process.execPath, [fixtureScript, ...args], { stdio: 'pipe' });
	let stderr = '';
	const waiters = new Set<() => void>();
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (text: string) => {
		// Bounded: a test reads the notes, not a flood.
		if (stderr.length < 1_000_000) stderr += text;
		for (const wake of waiters) wake();
	});
	const exited = new Promise<number | NodeJS.Signals>((resolve) =>
		child.once('exit', (code, signal) => resolve(code ?? (signal as NodeJS.Signals))),
	);
	// A test may close the pipes first; an EPIPE then is expected, not an uncaught error.
	child.stdin.on('error', () => {});
	return {
		process: child,
		channel: { fromAgent: child.stdout, toAgent: child.stdin },
		stderr: () => stderr,
		waitForStderr: (pattern) =>
			new Promise<void>((resolve) => {
				const check = () => {
					if (!pattern.test(stderr)) return;
					waiters.delete(check);
					resolve();
				};
				waiters.add(check);
				check();
			}),
		exited,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			await exited;
		},
	};
}
