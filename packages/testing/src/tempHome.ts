import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway AgentSpace home; `cleanup` removes it. */
export interface TempHome {
	/** Absolute path of the home directory (exists, empty). */
	readonly home: string;
	/** Removes the home and everything in it. */
	cleanup(): void;
}

/** Creates an empty temporary directory to use as `AGENTSPACE_HOME` in one test. */
export function createTempHome(label = 'home'): TempHome {
	const home = mkdtempSync(join(tmpdir(), `agentspace-test-${label}-`));
	return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
