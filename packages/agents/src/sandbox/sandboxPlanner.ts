import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
	bwrapOptions,
	createdMountPoints,
	type DirectLlmBridge,
	type DirectNetwork,
	directBwrapArgv,
	splitQuoted,
} from './directBwrapArgv.js';
import { type DirectSandboxPlan, SECCOMP_FD } from './directSandboxPlan.js';
import { findExecutable } from './findExecutable.js';
import { AWAIT_PROXY } from './innerCommand.js';
import { sandboxRuntimeConfig } from './runtimeConfig.js';
import type { SandboxLaunch } from './sandboxLaunch.js';
import type { LlmBridge } from './sandboxPolicy.js';

/** The run's proxy door, for a network-approved run (see runProxy): given to the planner in its environment. */
export interface PlannedProxy {
	readonly socketPath: string;
	readonly token: string;
}

/**
 * Whether `path` is there and not a mount point bwrap made: `--ro-bind
 * /dev/null <absent path>` leaves an empty regular file without write bits
 * (as the library recognises them). Another sandbox running now may have
 * made it: this run then binds over it too and removes it when it is the
 * last one to use it (see holdMountPoints).
 */
const existsOfItsOwn = (path: string) => {
	try {
		const stat = lstatSync(path);
		return !(stat.isFile() && stat.size === 0 && (stat.mode & 0o222) === 0 && stat.nlink === 1);
	} catch {
		return false;
	}
};

/**
 * The library's command line as words, with a profile it moved to a file
 * (`exec 9<"$1" … --args 9`, for very long ones) put back in place: bwrap
 * gets its arguments as an argv here, one word each, so the shell's
 * per-argument limit that made the library use the file does not apply.
 */
function bwrapWords(wrapped: string): string[] {
	const words = splitQuoted(wrapped);
	if (words[0] !== '/bin/sh' || !(words[2] ?? '').startsWith('exec 9<')) return words;
	const profile = readFileSync(words[4] as string, 'utf8')
		.split('\0')
		.slice(0, -1);
	const rest = words.slice(5);
	const at = rest.indexOf('--args');
	return [...rest.slice(0, at), ...profile, ...rest.slice(at + 2)];
}

/**
 * Plans a run without network approval: asks the sandbox library for the
 * bwrap arguments of the policy's filesystem rules — exactly the rules the
 * sandbox host applies, from the same working directory (the data
 * directory, whose dangerous files the library also protects) — without
 * starting its proxy or bridges, and turns them into a command the
 * supervisor runs itself (see directBwrapArgv). Runs once per start and
 * exits: nothing of it stays while the agent runs.
 */
export async function planDirectSandbox(
	launch: SandboxLaunch,
	env: NodeJS.ProcessEnv,
	notes: readonly string[],
	proxy?: PlannedProxy,
): Promise<DirectSandboxPlan> {
	mkdirSync(launch.tmpdir, { recursive: true, mode: 0o700 });
	mkdirSync(launch.dataDir, { recursive: true, mode: 0o700 });
	process.chdir(launch.dataDir);
	const bwrap = findExecutable('bwrap', env.PATH);
	if (bwrap === undefined) throw new Error('bwrap is not on PATH');
	const { SandboxManager } = await import('@anthropic-ai/sandbox-runtime');
	// No network section and no initialize(): the library starts no proxy and
	// adds no network options; `--unshare-net` is added below.
	const { filesystem } = sandboxRuntimeConfig(launch, bwrap);
	const wrapped = await SandboxManager.wrapWithSandbox(
		'true',
		'sh',
		{ filesystem } as Parameters<typeof SandboxManager.wrapWithSandbox>[2],
		undefined,
		{ commandId: launch.runId },
	);
	const words = bwrapWords(wrapped);
	const end = words.length - 4;
	if (end < 1 || words[end] !== '--' || words[end + 2] !== '-c') {
		throw new Error('the sandbox library returned a command of an unexpected form');
	}
	const options = bwrapOptions(words.slice(1, end));
	const network =
		proxy === undefined ? undefined : await networkOf(proxy, words[end + 3] as string, env);
	const llm =
		launch.llmBridge === undefined
			? undefined
			: llmBridgeOf(launch.llmBridge, words[end + 3] as string, env);
	const scratchPrefix = `${tmpdir()}/claude-empty-`;
	const scratch = [
		...new Set(
			options.flatMap(([option, source]) =>
				/bind/.test(option) &&
				source?.startsWith(scratchPrefix) &&
				!source.includes('/', scratchPrefix.length)
					? [source]
					: [],
			),
		),
	];
	return {
		bwrap,
		args: directBwrapArgv({
			options,
			shell: words[end + 1] as string,
			cwd: launch.cwd,
			tmpdir: launch.tmpdir,
			argv: launch.argv,
			notes,
			seccompFd: SECCOMP_FD,
			...(network === undefined ? {} : { network }),
			...(llm === undefined ? {} : { llm }),
		}),
		// The library's own scratch directory is a source, not a mount point.
		mountPoints: createdMountPoints(options, existsOfItsOwn).filter(
			(path) => !scratch.includes(path),
		),
		scratch,
	};
}

/**
 * The network part of a run's plan: the library's seccomp helper (the one
 * its own command for this policy runs: `<helper> sh -c true`), socat, and
 * the library's proxy variables carrying the run's credentials — exactly
 * what its own sandbox sets (generateProxyEnvVars), TMPDIR left to the run.
 * Without the helper there is no network-approved run: its bridges would
 * leave the agent free to open Unix sockets.
 */
async function networkOf(
	proxy: PlannedProxy,
	script: string,
	env: NodeJS.ProcessEnv,
): Promise<DirectNetwork> {
	const helper = seccompHelper(script, 'a network-approved run');
	const socat = findExecutable('socat', env.PATH);
	if (socat === undefined) throw new Error('socat is not on PATH');
	const { generateProxyEnvVars } = await import(
		'@anthropic-ai/sandbox-runtime/dist/sandbox/sandbox-utils.js'
	);
	const vars = generateProxyEnvVars(3128, 1080, undefined, proxy.token, true, undefined).map(
		(entry): [string, string] => {
			const at = entry.indexOf('=');
			return [entry.slice(0, at), entry.slice(at + 1)];
		},
	);
	return {
		socketPath: proxy.socketPath,
		socat,
		applySeccomp: helper,
		env: vars,
		awaitProxy: AWAIT_PROXY,
	};
}

/** The library's seccomp helper, from its own command for this policy (`<helper> sh -c true`). */
function seccompHelper(script: string, run: string): string {
	const helper = splitQuoted(script)[0];
	if (helper === undefined || !/(^|\/)apply-seccomp$/.test(helper)) {
		throw new Error(
			`the sandbox library found no seccomp helper for this architecture: ${run} cannot start without it`,
		);
	}
	return helper;
}

/**
 * The LLM bridge of a run approved for `llm:` (see directBwrapArgv): socat
 * and the seccomp helper, which keeps the agent from the Unix socket the
 * bridge uses. Without either the run does not start.
 */
function llmBridgeOf(bridge: LlmBridge, script: string, env: NodeJS.ProcessEnv): DirectLlmBridge {
	const applySeccomp = seccompHelper(script, 'a run approved for llm:');
	const socat = findExecutable('socat', env.PATH);
	if (socat === undefined)
		throw new Error('socat is not on PATH (a run approved for llm: needs it)');
	return { port: bridge.port, socketPath: bridge.socketPath, socat, applySeccomp };
}
