import { spawn } from 'node:child_process';
import { AgentSpaceError } from '@agentspace/core';
import { killProcessGroup } from '../process/killProcessGroup.js';

/**
 * Settings given to every git command. Together with the environment below
 * they make a clone run nothing from the repository or from anyone's config:
 * no hooks (a cloned repository's hooks never arrive, and the template's are
 * pointed away), no `ext::` transport (it runs an arbitrary command), no
 * fsmonitor, no submodules, no credential prompts.
 */
const GIT_SAFETY_CONFIG: readonly string[] = [
	'protocol.ext.allow=never',
	'core.hooksPath=/dev/null',
	'core.fsmonitor=false',
	'submodule.recurse=false',
	'credential.helper=',
	'advice.detachedHead=false',
	'init.templateDir=',
];

/** How long one git command may take before it is killed. */
export const DEFAULT_GIT_TIMEOUT_MS = 10 * 60_000;

/** Options of {@link runGit}. */
export interface RunGitOptions {
	readonly cwd?: string;
	readonly timeoutMs?: number;
	/** Caller's PATH, to find git. */
	readonly path?: string | undefined;
	/** Caller's SSH_AUTH_SOCK, so ssh can use the keys in the user's ssh agent. */
	readonly sshAuthSock?: string | undefined;
	/** Aborting kills git and everything it started; the call then rejects. */
	readonly signal?: AbortSignal | undefined;
}

/** What a git command printed. */
export interface GitOutput {
	readonly stdout: string;
	readonly stderr: string;
}

/** The environment git runs with: nothing of the caller's beyond PATH, and no system or global config. */
export function gitEnvironment(path: string | undefined, sshAuthSock?: string): NodeJS.ProcessEnv {
	return {
		// The ssh agent's socket lends keys without revealing them: private repositories over ssh work.
		...(sshAuthSock === undefined ? {} : { SSH_AUTH_SOCK: sshAuthSock }),
		PATH: path ?? '/usr/local/bin:/usr/bin:/bin',
		LANG: 'C',
		LC_ALL: 'C',
		GIT_TERMINAL_PROMPT: '0',
		GIT_ASKPASS: 'true',
		SSH_ASKPASS: 'true',
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_SYSTEM: '/dev/null',
		// ssh must not stop to ask about an unknown host key.
		GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
		HOME: '/nonexistent',
		XDG_CONFIG_HOME: '/nonexistent',
	};
}

/**
 * Runs `git <args>` as an argv (never through a shell) with the safety
 * settings above. Rejects with a `COMMAND_FAILED` error carrying git's own
 * message when git fails, cannot start or times out.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitOutput> {
	const argv = [...GIT_SAFETY_CONFIG.flatMap((setting) => ['-c', setting]), ...args];
	return new Promise((resolve, reject) => {
		// Its own process group, killed as a whole on timeout: spawn's `timeout`
		// kills git alone, and its children (ssh, a remote helper) keep its
		// stderr open, so the command would not end until they did.
		const child = spawn('git', argv, {
			cwd: options.cwd,
			env: gitEnvironment(options.path, options.sshAuthSock),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
		let timedOut = false;
		const killGroup = () => killProcessGroup(child.pid, 'SIGKILL');
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup();
		}, timeoutMs);
		// Interrupted (Ctrl-C at the CLI): git is in its own group, so it must be told.
		const onAbort = () => killGroup();
		options.signal?.addEventListener('abort', onAbort, { once: true });
		if (options.signal?.aborted === true) killGroup();
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			// git's progress and errors; only the end matters, keep it bounded.
			stderr = (stderr + chunk).slice(-16_384);
		});
		child.on('error', (error) => {
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			reject(
				new AgentSpaceError(`cannot run git: ${error.message}`, {
					code: 'COMMAND_FAILED',
					hint: 'install git and make sure it is on PATH (`agentspace doctor` checks it)',
					cause: error,
				}),
			);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			if (code === 0 && options.signal?.aborted !== true) return resolve({ stdout, stderr });
			const reason =
				options.signal?.aborted === true
					? 'interrupted'
					: timedOut
						? `timed out after ${Math.round(timeoutMs / 1000)} s and was killed`
						: signal === null
							? `exit code ${code}`
							: `killed by ${signal}`;
			const message = lastLines(stderr) || reason;
			reject(
				new AgentSpaceError(`git ${args[0]} failed (${reason}): ${message}`, {
					code: 'COMMAND_FAILED',
				}),
			);
		});
	});
}

function lastLines(text: string): string {
	return text
		.split(/\r?\n|\r/)
		.map((line) => line.trim())
		.filter(
			(line) =>
				line !== '' &&
				!/^(Cloning into|remote: (Counting|Compressing|Enumerating|Total))/.test(line),
		)
		.slice(-4)
		.join(' / ');
}
