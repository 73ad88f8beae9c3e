import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { Flash, UiSession } from '../security/sessionStore.js';
import { printableLine, printableText } from './format.js';

/** Every page's head: the title and the one stylesheet (the CSP allows nothing inline). */
const Head: FC<{ title: string }> = ({ title }) => (
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title>{`${printableLine(title)} · AgentSpace`}</title>
		<link rel="stylesheet" href="/ui.css" />
	</head>
);

/** A page without the navigation: login and refusals. */
export const BarePage: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
	<html lang="en">
		<Head title={title} />
		<body>
			<main class="login">
				<section class="panel">{children}</section>
			</main>
		</body>
	</html>
);

/** The hidden field every form of a session carries (see csrfGuard). */
export const CsrfField: FC<{ session: UiSession }> = ({ session }) => (
	<input type="hidden" name="_csrf" value={session.csrfToken} />
);

const FlashMessage: FC<{ flash: Flash | undefined }> = ({ flash }) =>
	flash === undefined ? null : (
		<div class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
			{printableText(flash.text)}
			{flash.hint === undefined ? null : <span class="hint">{printableText(flash.hint)}</span>}
		</div>
	);

/** Props of {@link Page}. */
export interface PageProps {
	readonly title: string;
	readonly session: UiSession;
	/** Which navigation link is the current page. */
	readonly nav: 'agents' | 'audit';
	readonly children?: Child;
}

/**
 * A logged-in page: navigation, the message a form left (shown once), the
 * content, and a log-out form.
 */
export const Page: FC<PageProps> = ({ title, session, nav, children }) => {
	const flash = session.flash;
	session.flash = undefined;
	return (
		<html lang="en">
			<Head title={title} />
			<body>
				<header class="top">
					<a class="brand" href="/">
						AgentSpace
					</a>
					<nav>
						<a href="/" class={nav === 'agents' ? 'current' : undefined}>
							Agents
						</a>
						<a href="/audit" class={nav === 'audit' ? 'current' : undefined}>
							Audit log
						</a>
					</nav>
					<span class="who">{session.actor.id}</span>
					<form method="post" action="/logout">
						<CsrfField session={session} />
						<button type="submit" class="link">
							Log out
						</button>
					</form>
				</header>
				<main>
					<FlashMessage flash={flash} />
					{children}
				</main>
				<footer>AgentSpace admin UI · 127.0.0.1 only · every action is audited</footer>
			</body>
		</html>
	);
};
