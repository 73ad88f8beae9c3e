import type { DoctorCheck } from '../types.js';

/** The oldest Node.js AgentSpace supports. */
export const MIN_NODE = [20, 19] as const;

/** Node.js is new enough. */
export function checkNode(version = process.versions.node): DoctorCheck {
	const [major = 0, minor = 0] = version.split('.').map(Number);
	const supported = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
	const data = {
		version,
		abi: process.versions.modules,
		platform: process.platform,
		arch: process.arch,
	};
	return supported
		? {
				id: 'node',
				status: 'ok',
				detail: `v${version} (${process.platform}-${process.arch})`,
				data,
			}
		: {
				id: 'node',
				status: 'fail',
				detail: `v${version} is too old`,
				hint: `install Node.js ${MIN_NODE.join('.')} or newer (20 LTS, 22 or 24)`,
				data,
			};
}
