import { join } from 'node:path';
import { homePaths } from '@agentspace/core';

/** Where the daemon of one AgentSpace home keeps its socket, pid file and log. */
export interface DaemonPaths {
	/** `<home>/run`: mode 0700. */
	readonly runDir: string;
	/** The Unix socket the CLI talks to (mode 0600). */
	readonly socket: string;
	/** Holds the daemon's pid while it runs: a second daemon refuses to start. */
	readonly pidFile: string;
	/** The daemon's own output (`daemon start` sends it there). */
	readonly log: string;
}

/** The daemon paths of home `home` (nothing is created). */
export function daemonPaths(home: string): DaemonPaths {
	const paths = homePaths(home);
	return {
		runDir: paths.runDir,
		socket: join(paths.runDir, 'daemon.sock'),
		pidFile: join(paths.runDir, 'daemon.pid'),
		log: join(paths.logsDir, 'daemon.log'),
	};
}
