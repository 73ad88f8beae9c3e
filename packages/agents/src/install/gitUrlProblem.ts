/** True when `text` has the form of a git URL (`scheme://…` or `user@host:path`) rather than a path or an id. */
export function looksLikeGitUrl(text: string): boolean {
	return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) || /^[^/\s]+@[^/\s]+:/.test(text);
}

/**
 * Why `url` must not be cloned, or undefined when it may be. One rule set for
 * every URL AgentSpace would hand to git — typed by the user, written in a
 * manifest's `source`, or recorded by an earlier install — so no path around
 * it exists.
 */
export function gitUrlProblem(url: string): string | undefined {
	if (url.startsWith('-')) return 'must not start with "-" (git would read it as an option)';
	if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url))
		return 'remote-helper addresses ("transport::…", such as ext::) are not allowed';
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	if (/[\u0000-\u001f\u007f\s]/.test(url)) return 'must not contain spaces or control characters';
	if (url.length > 4096) return 'must be at most 4096 characters';
	const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
	if (scheme === undefined) {
		return /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/.test(url) && !/@-/.test(url)
			? undefined
			: 'must be an https://, ssh:// or file:// URL, or user@host:path';
	}
	// Code fetched in the clear can be swapped by anyone on the network path.
	if (scheme === 'http' || scheme === 'git')
		return `${scheme}:// is unencrypted: anyone on the network could change the code; use https:// or ssh://`;
	if (scheme !== 'https' && scheme !== 'ssh' && scheme !== 'file')
		return 'must be an https://, ssh:// or file:// URL, or user@host:path';
	// A user or host starting with "-" (or its %2D escape) reaches ssh as an option.
	if (/^[a-z+.-]+:\/\/(?:[^/@]*@)?(?:-|%2d)/i.test(url))
		return 'the user or host must not start with "-" (ssh would read it as an option)';
	// The URL is kept in the checkout's git config and the event log: no credentials in it.
	const userinfo = /^[a-z+.-]+:\/\/([^/@]*)@/i.exec(url)?.[1];
	if (userinfo !== undefined && (userinfo.includes(':') || scheme === 'https'))
		return 'credentials in the URL would be stored in the clear; use ssh (your ssh agent is used) or a URL without them';
	if (url.includes('[REDACTED]'))
		return 'it holds a redacted credential; pass the URL to install from';
	return undefined;
}
