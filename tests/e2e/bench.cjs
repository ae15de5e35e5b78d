// Browser benchmarks on the built dist/, for `cargo xtask bench`: cold load to interactive
// (a fresh context each run, so nothing is cached), and the page's bench mode in wasm
// (pods/s, lesson verdict latency, wasm memory). Prints one JSON object per line.
const { chromium } = require('playwright-core');

async function main() {
  const [url, runsArg, sizesArg] = process.argv.slice(2);
  const runs = Number(runsArg || 3);
  const sizes = (sizesArg || '100,1000;1000,10000').split(';');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const load = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    // Interactive: the terminal accepts a command and prints kubectl's answer.
    await page.waitForSelector('#command', { timeout: 60000 });
    await page.fill('#command', 'kubectl get nodes');
    await page.press('#command', 'Enter');
    await page.waitForFunction(() => document.querySelector('#terminal').textContent.includes('k3s-server   Ready'), null, { timeout: 60000 });
    load.push(Date.now() - t0);
    await ctx.close();
  }
  console.log(JSON.stringify({ kind: 'load', ms: load }));
  for (const spec of [...sizes, 'lessons']) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${url}?bench=${spec}`, { waitUntil: 'load', timeout: 600000 });
      await page.waitForSelector('#bench-result', { timeout: 600000 });
      results.push(JSON.parse(await page.textContent('#bench-result')));
      await ctx.close();
    }
    console.log(JSON.stringify({ kind: spec === 'lessons' ? 'lessons' : 'pods', spec, results }));
  }
  await browser.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
