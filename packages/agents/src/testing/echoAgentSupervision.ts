import type { ChangeActor } from '../catalog/recordChange.js';
import type { SuperviseOptions } from '../launcher/superviseAgent.js';
import type { TempHomeDb } from './tempHomeDb.js';

/**
 * `superviseAgent`'s options for the fixture agent `echo-agent` installed in
 * `temp` (a {@link TempHomeDb} or an `AgentScenario`): started by `actor`,
 * unsandboxed, with only PATH in its environment. `overrides` replace any of them (a sandboxed run sets
 * `unsandboxed: false` and its `sandboxHostScript`).
 */
export function echoAgentSupervision(
	temp: Pick<TempHomeDb, 'db' | 'home'>,
	actor: ChangeActor,
	overrides: Partial<SuperviseOptions> = {},
): SuperviseOptions {
	return {
		db: temp.db,
		home: temp.home,
		id: 'echo-agent',
		actor,
		unsandboxed: true,
		env: { PATH: process.env.PATH },
		...overrides,
	};
}
