import { join } from 'node:path';
import { homePaths } from '@agentspace/core';

/** Every agent event belongs to this project: agents are installed per home, not per project. */
export const AGENT_PROJECT_KEY = 'agentspace';

/** Where one agent's files live under the AgentSpace home. */
export interface AgentPaths {
	/** `<home>/agents/<id>`: removed as a whole by uninstall. */
	readonly root: string;
	/** The git checkout (`<root>/src`); build steps run here. */
	readonly src: string;
	/** The HOME build steps see, so they cannot write into the user's own. */
	readonly home: string;
	/** The TMPDIR build steps see. */
	readonly tmp: string;
	/** The agent's data directory: the one place a run may write; its HOME is `<data>/home`. */
	readonly data: string;
	/** `<home>/logs/<id>`: build and run logs, kept after uninstall. */
	readonly logs: string;
	/** The log of the latest build. */
	readonly buildLog: string;
}

/** The paths of agent `id` under AgentSpace home `home` (nothing is created). */
export function agentPaths(home: string, id: string): AgentPaths {
	const paths = homePaths(home);
	const root = join(paths.agentsDir, id);
	const logs = join(paths.logsDir, id);
	return {
		root,
		src: join(root, 'src'),
		home: join(root, 'home'),
		tmp: join(root, 'tmp'),
		data: join(root, 'data'),
		logs,
		buildLog: join(logs, 'build.log'),
	};
}
