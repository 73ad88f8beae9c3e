import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ValidationError } from './errors.js';

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
	// An empty explicit home (`--home "$UNSET"`) would otherwise resolve to the
	// current directory and take it over.
	if (options.home !== undefined && options.home.trim() === '') {
		throw new ValidationError('the home directory must not be empty', {
			hint: 'pass --home <dir> with a path, or leave it out to use $AGENTSPACE_HOME or ~/.config/agentspace',
			issues: [{ path: 'home', message: 'must not be empty' }],
		});
	}
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

/**
 * Creates the home and its directories with mode 0700. The home holds secrets,
 * so an existing directory that is readable by others is tightened to 0700;
 * the directories tightened are returned so the caller can say so.
 */
export function ensureHomeDirs(paths: HomePaths): string[] {
	const tightened: string[] = [];
	for (const dir of [paths.home, paths.agentsDir, paths.logsDir, paths.runDir]) {
		try {
			const existed = statSync(dir, { throwIfNoEntry: false }) !== undefined;
			mkdirSync(dir, { recursive: true, mode: 0o700 });
			// mkdir's mode is filtered by the umask and ignored for existing directories.
			if ((statSync(dir).mode & 0o777) !== 0o700) {
				chmodSync(dir, 0o700);
				if (existed) tightened.push(dir);
			}
		} catch (error) {
			throw new ValidationError(
				`cannot use ${paths.home} as the AgentSpace home: ${(error as Error).message}`,
				{
					hint: '--home (or AGENTSPACE_HOME) must name a directory you can write, or one that can be created',
					issues: [{ path: 'home', message: (error as NodeJS.ErrnoException).code ?? 'unusable' }],
					cause: error,
				},
			);
		}
	}
	return tightened;
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value;
}
