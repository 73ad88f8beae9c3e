import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Every file and directory AgentSpace keeps under its home. */
export interface HomePaths {
	/** The AgentSpace home itself. */
	readonly home: string;
	readonly configFile: string;
	readonly dbFile: string;
	/** `agents/<agent-id>/src` checkouts. */
	readonly agentsDir: string;
	/** `logs/<agent-id>/<run-id>.log`. */
	readonly logsDir: string;
	/** Daemon socket and pid files. */
	readonly runDir: string;
	/** Auth-token fallback file, used only when no OS keychain is reachable. */
	readonly authTokenFile: string;
}

/** Where the home comes from, in order of precedence. */
export interface ResolveHomeOptions {
	/** An explicit home (the CLI's `--home`); wins over everything. */
	readonly home?: string | undefined;
	/** The environment to read `AGENTSPACE_HOME` from; defaults to `process.env`. */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** The user's home directory, for `~` and the default; defaults to `os.homedir()`. */
	readonly userHome?: string;
}

/** Expands a leading `~` and makes `path` absolute (relative to `cwd`). */
export function expandPath(
	path: string,
	userHome: string = homedir(),
	cwd = process.cwd(),
): string {
	if (path === '~') return userHome;
	if (path.startsWith('~/')) return join(userHome, path.slice(2));
	return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/** The AgentSpace home: explicit option, else `AGENTSPACE_HOME`, else `~/.config/agentspace`. */
export function resolveHome(options: ResolveHomeOptions = {}): string {
	const userHome = options.userHome ?? homedir();
	const env = options.env ?? process.env;
	const chosen = options.home ?? nonEmpty(env.AGENTSPACE_HOME);
	return chosen === undefined
		? join(userHome, '.config', 'agentspace')
		: expandPath(chosen, userHome);
}

/** The layout under a home directory (nothing is created). */
export function homePaths(home: string): HomePaths {
	return {
		home,
		configFile: join(home, 'config.json'),
		dbFile: join(home, 'agentspace.db'),
		agentsDir: join(home, 'agents'),
		logsDir: join(home, 'logs'),
		runDir: join(home, 'run'),
		authTokenFile: join(home, 'auth-token'),
	};
}

/** Creates the home and its directories with mode 0700 (tightening any that are looser). */
export function ensureHomeDirs(paths: HomePaths): void {
	for (const dir of [paths.home, paths.agentsDir, paths.logsDir, paths.runDir]) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		// mkdir's mode is filtered by the umask and ignored for existing
		// directories; the home holds secrets, so enforce 0700 explicitly.
		if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
	}
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value;
}
