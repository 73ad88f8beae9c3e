import { readdirSync, readFileSync } from 'node:fs';

function read(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

/** Parent pid of every process, from `/proc/<pid>/stat`, as parent → children. */
function childrenByParent(): Map<number, number[]> {
	const children = new Map<number, number[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const stat = read(`/proc/${name}/stat`);
		if (stat === undefined) continue;
		// The command name may hold spaces and parentheses: fields resume after the last ')'.
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const siblings = children.get(ppid) ?? [];
		siblings.push(Number(name));
		children.set(ppid, siblings);
	}
	return children;
}

/**
 * The process that forwards signals to the sandboxed agent, below the
 * wrapper `wrapperPid` (the outer bwrap): the seccomp helper that is pid 1 of
 * the sandbox's nested pid namespace — the first descendant whose NSpid has
 * three levels and ends in 1. Undefined while the sandbox is still being set
 * up (or without the seccomp helper). Linux only.
 */
export function findSandboxInit(wrapperPid: number): number | undefined {
	const children = childrenByParent();
	const queue = [...(children.get(wrapperPid) ?? [])];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		const nspid = read(`/proc/${pid}/status`)
			?.split('\n')
			.find((line) => line.startsWith('NSpid:'))
			?.slice('NSpid:'.length)
			.trim()
			.split(/\s+/);
		if (nspid?.length === 3 && nspid[2] === '1') return pid;
		queue.push(...(children.get(pid) ?? []));
	}
	return undefined;
}
