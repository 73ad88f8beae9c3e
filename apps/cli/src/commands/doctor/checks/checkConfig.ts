import { configExists, defaultConfig, homePaths, loadConfig, saveConfig } from '@agentspace/core';
import type { DoctorCheck } from '../types.js';

/** config.json is valid (a missing one is created with the defaults). */
export function checkConfig(home: string): DoctorCheck {
	const location = { path: homePaths(home).configFile };
	const created = !configExists(location);
	const config = created ? saveConfig(location, defaultConfig()) : loadConfig(location);
	return {
		id: 'config',
		status: 'ok',
		detail: `${created ? 'created with defaults' : 'valid'}; securityMode ${config.securityMode}`,
		data: { path: location.path, created, securityMode: config.securityMode },
	};
}
