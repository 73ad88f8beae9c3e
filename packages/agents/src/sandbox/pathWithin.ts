/** True when absolute, normalised `path` is `dir` or lies below it. */
export function isAtOrBelow(path: string, dir: string): boolean {
	if (path === dir || dir === '/') return true;
	return path.startsWith(`${dir}/`);
}

/** True when absolute, normalised `path` lies strictly below `dir`. */
export function isBelow(path: string, dir: string): boolean {
	return path !== dir && isAtOrBelow(path, dir);
}
