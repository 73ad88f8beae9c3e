import { spawnSync } from 'node:child_process';
import { sandboxReadiness } from '@agentspace/agents';
import type { DoctorCheck } from '../types.js';

/**
 * An OS sandbox can confine agents: the launcher's own readiness check
 * (bubblewrap, socat and ripgrep on Linux; Seatbelt on macOS), plus, on Linux,
 * a real bubblewrap namespace, since present is not enough.
 */
export function checkSandbox(
	platform: NodeJS.Platform = process.platform,
	path: string = process.env.PATH ?? '',
): DoctorCheck {
	const readiness = sandboxReadiness({ PATH: path }, platform);
	if (!readiness.ready) {
		return {
			id: 'sandbox',
			status: 'warn',
			detail:
				readiness.missing.length > 0
					? `missing: ${readiness.missing.join(', ')}`
					: (readiness.problem ?? 'not ready'),
			hint: `${readiness.hint} (needed before \`agentspace agents run\`; without it agents run only with --unsandboxed)`,
			data: { platform, available: false, missing: readiness.missing },
		};
	}
	if (platform !== 'linux') {
		return {
			id: 'sandbox',
			status: 'ok',
			detail: 'Seatbelt (sandbox-exec) available',
			data: { platform, available: true },
		};
	}
	const tools = readiness.tools ?? {};
	// Present is not enough: user namespaces may be disabled, so try a real one.
	const probe = spawnSync(
		tools.bwrap as string,
		['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-all', 'true'],
		{ encoding: 'utf8', timeout: 10_000 },
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
