import { spawnSync } from 'node:child_process';
import type { DoctorCheck } from '../types.js';
import { findExecutable } from './findExecutable.js';

// What the OS sandbox (@anthropic-ai/sandbox-runtime) needs on each platform.
const LINUX_TOOLS = [
	{ name: 'bwrap', pkg: 'bubblewrap' },
	{ name: 'socat', pkg: 'socat' },
	{ name: 'rg', pkg: 'ripgrep' },
] as const;

/** An OS sandbox can confine agents: bubblewrap (working), socat and ripgrep on Linux; Seatbelt on macOS. */
export function checkSandbox(
	platform: NodeJS.Platform = process.platform,
	path: string = process.env.PATH ?? '',
): DoctorCheck {
	if (platform === 'linux') return checkLinux(path);
	if (platform === 'darwin') {
		const seatbelt = findExecutable('sandbox-exec', path);
		const rg = findExecutable('rg', path);
		const missing = [seatbelt ? null : 'sandbox-exec', rg ? null : 'rg'].filter((x) => x !== null);
		return missing.length === 0
			? {
					id: 'sandbox',
					status: 'ok',
					detail: 'Seatbelt (sandbox-exec) and ripgrep available',
					data: { platform, available: true },
				}
			: {
					id: 'sandbox',
					status: 'warn',
					detail: `missing: ${missing.join(', ')}`,
					hint: 'brew install ripgrep (needed before `agentspace agents run`)',
					data: { platform, available: false, missing },
				};
	}
	return {
		id: 'sandbox',
		status: 'warn',
		detail: `no supported OS sandbox on ${platform}`,
		hint: 'agents can run only with --unsandboxed here; Linux and macOS are supported',
		data: { platform, available: false },
	};
}

function checkLinux(path: string): DoctorCheck {
	const tools = Object.fromEntries(
		LINUX_TOOLS.map((tool) => [tool.name, findExecutable(tool.name, path) ?? null]),
	);
	const missing = LINUX_TOOLS.filter((tool) => tools[tool.name] === null);
	if (missing.length > 0) {
		return {
			id: 'sandbox',
			status: 'warn',
			detail: `missing: ${missing.map((tool) => tool.name).join(', ')}`,
			hint: `sudo apt-get install ${missing.map((tool) => tool.pkg).join(' ')} (needed before \`agentspace agents run\`)`,
			data: { platform: 'linux', available: false, tools },
		};
	}
	// Present is not enough: user namespaces may be disabled, so try a real one.
	const probe = spawnSync(
		tools.bwrap as string,
		['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-all', 'true'],
		{
			encoding: 'utf8',
			timeout: 10_000,
		},
	);
	if (probe.status !== 0) {
		const reason = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
		return {
			id: 'sandbox',
			status: 'warn',
			detail: `bubblewrap cannot create a sandbox: ${reason}`,
			hint: 'enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 or the AppArmor profile for bwrap)',
			data: { platform: 'linux', available: false, tools, reason },
		};
	}
	return {
		id: 'sandbox',
		status: 'ok',
		detail: 'bubblewrap works; socat and ripgrep present',
		data: { platform: 'linux', available: true, tools },
	};
}
