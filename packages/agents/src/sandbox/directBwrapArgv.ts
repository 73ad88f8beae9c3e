import { awaitPorts } from './innerCommand.js';
import { shellQuote } from './shellQuote.js';

/**
 * Splits a command line the sandbox library rendered with its `quote()`
 * (bare words, or `'…'` with `'"'"'` for a quote) back into its words.
 * Anything a shell would treat as an operator or expansion outside quotes is
 * refused: the text is then not what this code knows how to read.
 */
export function splitQuoted(text: string): string[] {
	const words: string[] = [];
	let word: string | undefined;
	for (let i = 0; i < text.length; i++) {
		const char = text[i] as string;
		if (char === ' ') {
			if (word !== undefined) words.push(word);
			word = undefined;
		} else if (char === "'") {
			const end = text.indexOf("'", i + 1);
			if (end === -1) throw new Error('unterminated single quote in the sandbox command');
			word = (word ?? '') + text.slice(i + 1, end);
			i = end;
		} else if (char === '"') {
			const end = text.indexOf('"', i + 1);
			const inner = end === -1 ? '' : text.slice(i + 1, end);
			if (end === -1 || /[\\$`]/.test(inner)) {
				throw new Error('unexpected double-quoted text in the sandbox command');
			}
			word = (word ?? '') + inner;
			i = end;
		} else if (/[A-Za-z0-9_./:=@+,%-]/.test(char)) {
			word = (word ?? '') + char;
		} else {
			throw new Error(`unexpected ${JSON.stringify(char)} in the sandbox command`);
		}
	}
	if (word !== undefined) words.push(word);
	return words;
}

// Every bwrap option the library emits, with how many values it takes. An
// option not listed is refused rather than guessed at.
const ARITY: Readonly<Record<string, number>> = {
	'--new-session': 0,
	'--die-with-parent': 0,
	'--unshare-net': 0,
	'--unshare-pid': 0,
	'--unshare-user': 0,
	'--unshare-ipc': 0,
	'--unshare-uts': 0,
	'--as-pid-1': 0,
	'--clearenv': 0,
	'--setenv': 2,
	'--unsetenv': 1,
	'--bind': 2,
	'--ro-bind': 2,
	'--dev-bind': 2,
	'--bind-try': 2,
	'--ro-bind-try': 2,
	'--dev-bind-try': 2,
	'--symlink': 2,
	'--chmod': 2,
	'--tmpfs': 1,
	'--dir': 1,
	'--dev': 1,
	'--proc': 1,
	'--remount-ro': 1,
	'--perms': 1,
	'--size': 1,
	'--cap-add': 1,
	'--cap-drop': 1,
	'--chdir': 1,
};

/** A bwrap option and its values. */
export type BwrapOption = readonly [option: string, ...values: string[]];

/** Groups bwrap's options (everything before `--`) with their values. */
export function bwrapOptions(words: readonly string[]): BwrapOption[] {
	const options: BwrapOption[] = [];
	for (let i = 0; i < words.length; ) {
		const option = words[i] as string;
		const arity = ARITY[option];
		if (arity === undefined || i + arity >= words.length) {
			throw new Error(`unexpected bwrap option ${JSON.stringify(option)} in the sandbox command`);
		}
		options.push([option, ...words.slice(i + 1, i + 1 + arity)]);
		i += 1 + arity;
	}
	return options;
}

/** What {@link directBwrapArgv} builds the command from. */
export interface DirectBwrapInput {
	/** The bwrap options the library generated for the policy (without the command). */
	readonly options: readonly BwrapOption[];
	/** The shell that is pid 1 inside the sandbox (`/bin/sh`). */
	readonly shell: string;
	readonly cwd: string;
	readonly tmpdir: string;
	/** The agent's command and arguments. */
	readonly argv: readonly string[];
	/** Lines for the run's log, printed by the sandbox's shell before the agent starts. */
	readonly notes: readonly string[];
	/** The fd bwrap reads the seccomp program from (without `network`). */
	readonly seccompFd: number;
	/** A network-approved run: its proxy door, bridged into the sandbox (see bridgesScript). */
	readonly network?: DirectNetwork;
	/** A run approved for `llm:`: the daemon's LLM endpoint, bridged into the sandbox (see bridgesScript). */
	readonly llm?: DirectLlmBridge;
}

/** How a run approved for `llm:` reaches the daemon's LLM endpoint (its Unix socket). */
export interface DirectLlmBridge {
	/** The port the bridge listens on, on the sandbox's loopback: the endpoint's own port, so its URL is the same inside. */
	readonly port: number;
	/** The endpoint's Unix socket on the host, bound into the sandbox at the same path. */
	readonly socketPath: string;
	/** socat's path. */
	readonly socat: string;
	/** The library's seccomp helper (apply-seccomp), applied after the bridge starts. */
	readonly applySeccomp: string;
}

/**
 * Shell text that waits until the LLM bridge listens on TCP `port`, at most
 * about 3 s (see awaitPorts): it starts in the background right before the
 * agent, whose first request must find it listening.
 */
export function awaitListening(port: number): string {
	return awaitPorts([port], 300);
}

/** How a network-approved run reaches the supervisor's proxy for it (see runProxy). */
export interface DirectNetwork {
	/** The run's own proxy socket on the host, bound into the sandbox at the same path. */
	readonly socketPath: string;
	/** socat's path: the host's file system is visible in the sandbox. */
	readonly socat: string;
	/** The library's seccomp helper (apply-seccomp), applied after the bridges start. */
	readonly applySeccomp: string;
	/** The proxy variables (HTTP_PROXY… with the run's credentials), as the library sets them. */
	readonly env: readonly (readonly [name: string, value: string])[];
	/** Shell text that waits until both bridges listen (see innerCommand). */
	readonly awaitProxy: string;
}

/**
 * What the sandbox's pid 1 shell runs for a network-approved run — the
 * library's own wiring (buildSandboxCommand): socat bridges from the
 * sandbox's loopback 3128 (HTTP) and 1080 (SOCKS5) to the run's proxy
 * socket, started before the seccomp helper so that only they may use a Unix
 * socket; the helper then filters the agent (no socket(AF_UNIX), no io_uring)
 * in a pid namespace of its own, where the agent cannot reach the bridges'
 * unfiltered processes. The trap ends the bridges and keeps the agent's status.
 * A run approved for `llm:` gets its bridge from the sandbox's
 * 127.0.0.1:<port> to the LLM endpoint's socket the same way: either kind or
 * both, all started before the seccomp helper, all awaited before the agent
 * starts, all ended by the trap.
 */
function bridgesScript(
	network: DirectNetwork | undefined,
	llm: DirectLlmBridge | undefined,
	shell: string,
	notes: string,
): string {
	const lines: string[] = [];
	const awaits: string[] = [];
	if (network !== undefined) {
		const socat = shellQuote(network.socat);
		const target = shellQuote(`UNIX-CONNECT:${network.socketPath}`);
		lines.push(
			`${socat} TCP-LISTEN:3128,fork,reuseaddr ${target} >/dev/null 2>&1 &`,
			`${socat} TCP-LISTEN:1080,fork,reuseaddr ${target} >/dev/null 2>&1 &`,
		);
		awaits.push(network.awaitProxy);
	}
	if (llm !== undefined) {
		lines.push(
			`${shellQuote(llm.socat)} TCP-LISTEN:${llm.port},bind=127.0.0.1,fork,reuseaddr ${shellQuote(`UNIX-CONNECT:${llm.socketPath}`)} >/dev/null 2>&1 &`,
		);
		awaits.push(awaitListening(llm.port));
	}
	const jobs = lines.map((_, index) => `%${index + 1}`).join(' ');
	const helper = (network?.applySeccomp ?? llm?.applySeccomp) as string;
	return [
		`${notes}${lines[0]}`,
		...lines.slice(1),
		`trap 'rc=$?; kill ${jobs} 2>/dev/null; exit $rc' EXIT`,
		`${shellQuote(helper)} ${shellQuote(shell)} -c ${shellQuote(`${awaits.join('; ')}; exec "$@"`)} agentspace-sandbox "$@"`,
	].join('\n');
}

/**
 * bwrap's arguments for a run the supervisor starts itself, from the options
 * the library made for the policy's filesystem rules:
 * - `--unshare-net`: no network namespace access at all; without `network`
 *   no proxy and no bridges, with it only the run's proxy socket and the
 *   library's bridges and seccomp helper (see bridgesScript), whose
 *   `CAP_SETFCAP` is then kept; IPC and UTS namespaces of its own too;
 * - without `network`, the library's `--cap-add CAP_SETFCAP` is dropped: only
 *   its seccomp helper's nested user namespace needed it, and bwrap loads the
 *   filter here (`--seccomp`);
 * - `--as-pid-1` with a shell as pid 1 that runs the agent as its child,
 *   reaps orphans and exits with the agent's status (128+n for a signal).
 *   Without `--as-pid-1` bwrap's own init would be pid 1, and bwrap exits
 *   without reaping it, leaving a zombie under the host's pid 1. The shell
 *   ignores SIGTERM (pid 1 of a namespace without a handler), so a stop
 *   signals the agent itself (see stopSandboxed);
 * - with `llm` (a run approved for `llm:` given the daemon's LLM endpoint),
 *   the endpoint's socket bound in and a bridge from 127.0.0.1:<port> to it,
 *   started with the network's bridges, before the seccomp helper (see
 *   bridgesScript): the agent reaches the endpoint over TCP and still cannot
 *   open a Unix socket itself;
 * - TMPDIR and the working directory of the agent.
 */
export function directBwrapArgv(input: DirectBwrapInput): string[] {
	const { network, llm } = input;
	const bridged = network !== undefined || llm !== undefined;
	// The seccomp helper of a run with bridges needs it (nested user namespace).
	const options = input.options.filter(
		([option, value]) => bridged || !(option === '--cap-add' && value === 'CAP_SETFCAP'),
	);
	const notes = input.notes.map((note) => `printf '%s\\n' ${shellQuote(note)} >&2; `).join('');
	return [
		...options.flat(),
		'--unshare-net',
		'--unshare-ipc',
		'--unshare-uts',
		'--as-pid-1',
		...(bridged ? [] : ['--seccomp', String(input.seccompFd)]),
		...(network === undefined
			? []
			: [
					'--bind',
					network.socketPath,
					network.socketPath,
					...network.env.flatMap(([name, value]) => ['--setenv', name, value]),
				]),
		...(llm === undefined ? [] : ['--bind', llm.socketPath, llm.socketPath]),
		'--setenv',
		'TMPDIR',
		input.tmpdir,
		'--chdir',
		input.cwd,
		'--',
		input.shell,
		'-c',
		// Not `exec`: the shell stays pid 1 and the agent is its child.
		network === undefined && llm === undefined
			? `${notes}"$@"; exit $?`
			: bridgesScript(network, llm, input.shell, notes),
		'agentspace-sandbox',
		...input.argv,
	];
}

/**
 * The paths bwrap creates on the host as mount points (a bind or tmpfs onto
 * a path that does not exist yet, inside a writable directory): they are
 * empty files or directories that must be removed once the run has ended,
 * as the library does after each command. `exists` is asked at plan time.
 */
export function createdMountPoints(
	options: readonly BwrapOption[],
	exists: (path: string) => boolean,
): string[] {
	const targets = options.flatMap(([option, ...values]) => {
		if (/^--(ro-|dev-)?bind(-try)?$/.test(option)) return [values[1] as string];
		if (option === '--tmpfs' || option === '--dir') return [values[0] as string];
		return [];
	});
	return [...new Set(targets)].filter((path) => !exists(path));
}
