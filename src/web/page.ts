/** The dashboard's HTML shell: the bundled script draws everything into `#app` (views by URL hash). */

/** The HTML of the page; `title` names the runs folder. */
export function pageHtml(title: string): string {
  const esc = title.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vaelab · ${esc}</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header><a href="#/" class="brand">vaelab</a> <span class="root">${esc}</span> <nav><a href="#/">runs</a> <a href="#/sweeps">sweeps</a> <a href="/reproduce">reproductions</a></nav></header>
<main id="app">loading…</main>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}
