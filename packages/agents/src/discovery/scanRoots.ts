import { homedir } from 'node:os';
import { expandPath, homePaths, loadConfig } from '@agentspace/core';

/**
 * The roots a discovery scans: the configured `scanRoots` (default
 * `~/Projects`) with `~` expanded, then the home's own `agents/`.
 */
export function scanRoots(options: {
	readonly home: string;
	readonly userHome?: string;
}): string[] {
	const userHome = options.userHome ?? homedir();
	const configured = loadConfig({ home: options.home }).scanRoots;
	const roots = configured.map((root) => expandPath(root, userHome, userHome));
	roots.push(homePaths(options.home).agentsDir);
	return [...new Set(roots)];
}
