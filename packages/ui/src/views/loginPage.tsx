import type { FC } from 'hono/jsx';
import { BarePage } from './layout.js';

/** The login page: paste a login token or the home's auth token. */
export const LoginPage: FC<{ problem?: string }> = ({ problem }) => (
	<BarePage title="Log in">
		<h1>AgentSpace</h1>
		<p class="lead">Log in to the admin UI of this AgentSpace home.</p>
		{problem === undefined ? null : (
			<div class="flash error" role="alert">
				{problem}
			</div>
		)}
		<p>
			Run <code>agentspace ui</code> and open the login link it prints, or paste its token (or the
			home's auth token) here:
		</p>
		<form method="post" action="/login">
			<p>
				<input type="password" name="token" autocomplete="off" size={40} aria-label="token" />
			</p>
			<button type="submit">Log in</button>
		</form>
	</BarePage>
);
