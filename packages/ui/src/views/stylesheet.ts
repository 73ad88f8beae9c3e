/**
 * The UI's only stylesheet, served as /ui.css (the CSP allows no inline
 * styles). System fonts, no web fonts or images: nothing leaves the machine.
 */
export const STYLESHEET = `
:root {
	--bg: #f6f7f9; --panel: #fff; --text: #1d2330; --muted: #5f6b7a; --line: #e1e5ea;
	--accent: #2f5bd3; --ok: #1a7f45; --ok-bg: #e3f4ea; --warn: #8a5a00; --warn-bg: #fdf1d6;
	--bad: #b3261e; --bad-bg: #fbe4e2; --idle: #5f6b7a; --idle-bg: #eceff3;
	--mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
	font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 12px 32px;
	background: #17203a; color: #fff; }
header.top .brand { color: #fff; font-weight: 700; font-size: 17px; letter-spacing: .2px; }
header.top nav { display: flex; gap: 16px; flex: 1; }
header.top nav a { color: #c9d3ee; }
header.top nav a.current { color: #fff; font-weight: 600; }
header.top .who { color: #c9d3ee; font-size: 13px; }
header.top form { margin: 0; display: flex; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 12px; }
p.lead { color: var(--muted); margin: 0 0 20px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
	padding: 18px 20px; margin: 0 0 20px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: 0; }
td.num { font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
td details summary, td details pre { overflow-wrap: anywhere; white-space: pre-wrap; }
code, pre, .mono { font-family: var(--mono); font-size: 13px; }
pre { background: #0f1524; color: #dfe6f5; padding: 12px 14px; border-radius: 6px; overflow: auto;
	max-height: 420px; margin: 0; }
pre .line { display: block; }
pre .stderr { color: #ffb4a9; } pre .system { color: #9fb3d9; } pre .time { color: #6f7fa3; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
	font-weight: 600; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.idle { color: var(--idle); background: var(--idle-bg); }
.muted { color: var(--muted); }
.flash { padding: 10px 14px; border-radius: 6px; margin: 0 0 18px; border: 1px solid; }
.flash.ok { color: var(--ok); background: var(--ok-bg); border-color: #b9e2c8; }
.flash.error { color: var(--bad); background: var(--bad-bg); border-color: #f2c1bc; }
.flash .hint { display: block; color: var(--text); font-size: 13px; margin-top: 2px; }
.banner { padding: 10px 14px; border-radius: 6px; margin: 0 0 16px; }
.banner.warn { background: var(--warn-bg); color: var(--warn); }
.banner.ok { background: var(--ok-bg); color: var(--ok); }
.banner.bad { background: var(--bad-bg); color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 14px 0 0; }
.actions form { display: inline-flex; gap: 8px; align-items: center; margin: 0; }
button { font: inherit; font-size: 14px; padding: 6px 14px; border-radius: 6px; cursor: pointer;
	border: 1px solid var(--accent); background: var(--accent); color: #fff; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: #e5a9a3; }
button.link { background: none; border: 0; color: #c9d3ee; padding: 0; }
select, input[type=text], input[type=password], input[type=datetime-local] { font: inherit; font-size: 14px;
	padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
label.check { display: flex; gap: 8px; align-items: baseline; padding: 4px 0; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
h2.spaced { margin-top: 18px; }
ol.steps { margin: 0 0 8px; padding-left: 22px; }
details summary { cursor: pointer; color: var(--accent); }
td .note { font-size: 13px; }
td .desc { font-size: 13px; overflow-wrap: anywhere; max-width: 520px; }
.actions.tight { margin: 0; gap: 6px; flex-wrap: nowrap; }
.actions.tight button { padding: 3px 10px; font-size: 13px; }
td .badge + .badge { margin-left: 4px; }
.drift { border-top: 1px solid var(--line); padding: 12px 0 4px; }
.drift h3 { font-size: 15px; margin: 0 0 2px; }
.drift .field { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted);
	font-weight: 600; margin: 10px 0 4px; }
pre.diff .line { display: block; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.diff .pinned { color: #ffb4a9; } pre.diff .offered { color: #a6e3b8; } pre.diff .fold { color: #6f7fa3; }
.login { max-width: 460px; margin: 80px auto; }
.refusal { font-weight: 600; color: var(--bad); }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 0 24px; }
`;
